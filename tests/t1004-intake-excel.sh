#!/bin/sh
# petition-intake and spreadsheets: the rejects file follows the input's encoding and BOM,
# and the numbers Excel damaged are named with what happened and how to export instead.
. "$(dirname "$0")/lib.sh"

test_expect_success 'setup' '
	petition init -q &&
	printf "%s\n" "received_on,channel,petitioner,id_number,category,summary" \
		"2026-11-03,来访,张三,3.71302E+17,欠薪,讨薪" \
		"2026-11-03,来访,李四,11010519491231002X,欠薪,讨薪" \
		"2026-11-04,来访,王五,440524188001010000,欠薪,讨薪" >utf8.csv
'

# By hand: 3.71302E+17 is scientific notation; 440524188001010000 is the valid
# 440524188001010014 after Excel kept 15 digits (its check digit, 4 for ...0014, is not
# the 0 left), so both are rejected with the Excel message before the check's own.
test_expect_success 'a number Excel damaged: what happened and how to export instead (the rows rejected: 1)' '
	test_expect_code 1 petition intake --csv utf8.csv --rejects rej.csv 2>err &&
	grep -qF "utf8.csv:2: id_number '"'"'3.71302E+17'"'"': Excel wrote the number in scientific notation and its digits are lost (export with --excel or --format xlsx" err &&
	grep -qF "must have 18 characters" err &&
	grep -qF "utf8.csv:4: id_number '"'"'440524188001010000'"'"': Excel keeps 15 digits of a number and made the last 3 zeros" err &&
	test "$(head -c 3 rej.csv)" = "rec" &&
	test "$(wc -l <rej.csv)" = 3
'

# 0539 8123456 (a Linyi landline) lost its 0 in Excel; 1.39123E+10 is a mobile number in
# scientific notation.
test_expect_success 'a phone number Excel damaged: a lost 0, scientific notation' '
	test_expect_code 65 petition intake --dry-run --channel 来电 --petitioner 甲 --category 欠薪 --summary 一 \
		--phone 5398123456 2>err &&
	grep -qF "phone '"'"'5398123456'"'"': Excel dropped the leading 0 of the number (an area code'"'"'s) (export with --excel" err &&
	test_expect_code 65 petition intake --dry-run --channel 来电 --petitioner 甲 --category 欠薪 --summary 一 \
		--phone 1.39123E+10 2>err &&
	grep -qF "Excel wrote the number in scientific notation" err &&
	petition intake --dry-run --channel 来电 --petitioner 甲 --category 欠薪 --summary 一 --phone 05398123456 2>err
'

test_expect_success 'the rejects file of GB18030 input is GB18030, as is (re-importable)' '
	petition init -q --db gb.db &&
	iconv -f UTF-8 -t GB18030 utf8.csv >gb.csv &&
	test_expect_code 1 petition intake --db gb.db --csv gb.csv --encoding gb18030 --rejects gb-rej.csv 2>err &&
	# 张三 is D5C5 C8FD in GB18030, as in the input
	grep -q "$(printf "\325\305\310\375")" gb-rej.csv &&
	! grep -q "张三" gb-rej.csv &&
	iconv -f GB18030 -t UTF-8 gb-rej.csv | grep -q "^2026-11-03,来访,张三,3.71302E+17," &&
	test_expect_code 65 petition intake --db gb.db --csv gb-rej.csv --encoding gb18030 --ignore-unknown 2>err &&
	grep -q "gb-rej.csv:2: id_number" err
'

test_expect_success 'the rejects file of UTF-8 input with a BOM has a BOM; without, none' '
	printf "\357\273\277" | cat - utf8.csv >bom.csv &&
	petition init -q --db bom.db &&
	test_expect_code 1 petition intake --db bom.db --csv bom.csv --rejects bom-rej.csv 2>/dev/null &&
	test "$(head -c 3 bom-rej.csv | od -An -tx1 | tr -d " ")" = efbbbf &&
	test "$(grep -c "$(printf "\357\273\277")" bom-rej.csv)" = 1 &&
	test "$(head -c 3 rej.csv | od -An -tx1 | tr -d " ")" != efbbbf
'

test_done
