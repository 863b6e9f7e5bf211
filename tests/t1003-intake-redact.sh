#!/bin/sh
# --redact (petition(1), Personal data): one mask of a person's name, ID number and phone
# wherever a program prints them, and in the messages that quote them.
. "$(dirname "$0")/lib.sh"

# The masks, worked by hand:
#   钱秀英              name: first character, '*' for the 2 others      钱**
#   11010519491231002X  ID: first 6 and last 4, 8 '*' between             110105********002X
#   13905391234         phone: first 3 and last 4, 4 '*' between           139****1234
#   110105194912310021  a bad check digit (the right one is X)            110105********0021
#   1390539123          10 digits, not a phone                            139***9123
#   0539-8123456        a landline: 12 characters, dash kept              053*-***3456

test_expect_success 'setup' '
	petition init -q &&
	printf "%s\n" "received_on,channel,petitioner,id_number,phone,category,summary" \
		"2026-09-01,来访,钱秀英,11010519491231002X,13905391234,社会保险,养老保险" \
		"2026-09-01,来访,孙立国,110105194912310021,,欠薪,欠薪" \
		"2026-09-01,来电,周建华,,1390539123,欠薪,欠薪" \
		"2026-09-02,来电,郑丽,,0539-8123456,工时休假,加班" >in.csv
'

test_expect_success 'intake --print --redact: the name masked; messages mask the ID number and phone' '
	test_expect_code 1 petition intake --csv in.csv --rejects rej.csv --print --redact --format csv >out 2>err &&
	tr -d "\r" <out | cut -d, -f1,3,7 >got &&
	printf "%s\n" line,result,petitioner 2,new,钱** 3,rejected,孙** 4,rejected,周** 5,new,郑* >expect &&
	test_cmp expect got &&
	grep -q "in.csv:3: id_number '"'"'110105\*\*\*\*\*\*\*\*0021'"'"': bad check digit" err &&
	grep -q "in.csv:4: phone '"'"'139\*\*\*9123'"'"'" err &&
	! grep -q "110105194912310021\|1390539123\|孙立国\|周建华" out err &&
	grep -q "^2026-09-01,来访,孙立国,110105194912310021," rej.csv
'

test_expect_success 'without --redact the messages quote the values as given' '
	test_expect_code 65 petition intake --csv in.csv --dry-run 2>err &&
	grep -q "id_number '"'"'110105194912310021'"'"': bad check digit" err
'

test_expect_success 'one petition: --redact masks the message about --id-number' '
	test_expect_code 65 petition intake --channel 来访 --petitioner 王五 --category 欠薪 --summary x \
		--id-number 110105194912310021 --redact 2>err &&
	grep -q "110105\*\*\*\*\*\*\*\*0021" err &&
	! grep -q 110105194912310021 err
'

test_expect_success 'case show and list --redact: the same masks' '
	petition case show LYS-2026-000001 --redact --format csv | tr -d "\r" >show &&
	grep -q "^case,petitioner,钱\*\*,," show &&
	grep -q "^case,id_number,110105\*\*\*\*\*\*\*\*002X,," show &&
	grep -q "^case,phone,139\*\*\*\*1234,," show &&
	petition case show LYS-2026-000002 --redact --format csv | tr -d "\r" >show &&
	grep -q "^case,phone,053\*-\*\*\*3456,," show &&
	petition case list --redact --format csv | tr -d "\r" | cut -d, -f6 >got &&
	printf "%s\n" petitioner 钱** 郑* >expect &&
	test_cmp expect got
'

test_done
