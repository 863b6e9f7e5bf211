#!/bin/sh
# The output formats every program shares (petition(1), OUTPUT): CSV line ends, --excel,
# JSON values, xlsx read back with openpyxl, -o FILE written atomically, and the round trip
# of an --excel export through a spreadsheet and intake.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
show() { petition case show "$1" --format csv | awk -F, -v k="$2" '$1 == "case" && $2 == k { print $3 }'; }

# The petitioner's name is a formula (issue: formula injection); the ID number is valid
# (GB 11643: 440524188001010014, the check digit 4 worked in DOMAIN's example), all
# digits, so Excel would show it as 4.40524E+17; the register number 0005 would lose its
# zeros; the phone has 11 digits.
test_expect_success 'setup: a petition with an ID number, a register number 0005 and a formula for a name' '
	petition init -q &&
	petition intake --received-on 2026-11-02 --channel 来访 --petitioner "=HYPERLINK(\"http://x\",\"点此\")" \
		--id-number 440524188001010014 --phone 13912345678 --external-id 0005 --category 欠薪 \
		--summary "讨要工资, 三个月" >case_no &&
	test "$(cat case_no)" = LYS-2026-000001
'

test_expect_success 'csv ends lines with LF (a pipe to awk sees no CR); --crlf gives CRLF' '
	petition case list --format csv >lf &&
	! grep -q "$(printf "\r")" lf &&
	test "$(awk -F, "NR == 2 { print \$NF }" lf)" = "" &&
	test "$(awk -F, "NR == 1 { print \$NF }" lf)" = satisfaction &&
	petition case list --format csv --crlf >crlf &&
	test "$(grep -c "$(printf "\r")\$" crlf)" = 2 &&
	tr -d "\r" <crlf | cmp - lf
'

# By hand, what --excel makes of the case show rows: a BOM, CRLF, the ID number and the
# register number as the text formula ="...", the name behind an apostrophe so that it
# is text, the phone (11 digits) as ="13912345678" too, the persons (a number in a text
# column) as 1; the rest as in plain CSV.
test_expect_success '--excel: BOM, CRLF, ID-like numbers kept as text, formulas neutralised' '
	petition case show "$(cat case_no)" --excel >excel.csv &&
	test "$(head -c 3 excel.csv | od -An -tx1 | tr -d " ")" = efbbbf &&
	test "$(grep -c "$(printf "\r")\$" excel.csv)" = "$(wc -l <excel.csv)" &&
	tr -d "\r" <excel.csv >x &&
	grep -qxF "case,id_number,\"=\"\"440524188001010014\"\"\",," x &&
	grep -qxF "case,external_id,\"=\"\"0005\"\"\",," x &&
	grep -qxF "case,phone,\"=\"\"13912345678\"\"\",," x &&
	grep -qxF "case,petitioner,\"'"'"'=HYPERLINK(\"\"http://x\"\",\"\"点此\"\")\",," x &&
	grep -qxF "case,persons,1,," x &&
	grep -qxF "case,summary,\"讨要工资, 三个月\",," x
'

test_expect_success 'json: numbers as numbers, null for an absent value, flags as an array' '
	petition case list --format json >list.json &&
	test "$(sqlite3 :memory: "SELECT json_type(readfile(\"list.json\"), \"\$[0].persons\")")" = integer &&
	test "$(sqlite3 :memory: "SELECT json_type(readfile(\"list.json\"), \"\$[0].holder\")")" = null &&
	test "$(sqlite3 :memory: "SELECT json_type(readfile(\"list.json\"), \"\$[0].flags\")")" = array &&
	petition schedule explain "$(cat case_no)" --format json >explain.json &&
	test "$(sqlite3 :memory: "SELECT count(*) FROM json_each(readfile(\"explain.json\"))
		WHERE json_type(value, \"\$.working_days_left\") = \"text\"")" = 0 &&
	test "$(sqlite3 :memory: "SELECT json_type(readfile(\"explain.json\"), \"\$[1].working_days_left\")")" = null &&
	! grep -q "\"\"" list.json explain.json
'

# case show mixes texts and events in its value column: in json an event's data is the object
# it is (intake's "added" a number), every other value a string, an absent one null.
test_expect_success 'json: case show gives event data as nested objects' '
	petition case show "$(cat case_no)" --format json >show.json &&
	sqlite3 :memory: "SELECT json_type(value, \"\$.value\") FROM json_each(readfile(\"show.json\"))
		WHERE json_extract(value, \"\$.section\") = \"event\"" | sort -u >types &&
	echo object >expect && test_cmp expect types &&
	test "$(sqlite3 :memory: "SELECT json_extract(value, \"\$.value.added\") FROM json_each(readfile(\"show.json\"))
		WHERE json_extract(value, \"\$.key\") LIKE \"% intake\"")" = 1 &&
	test "$(sqlite3 :memory: "SELECT json_type(value, \"\$.value\") FROM json_each(readfile(\"show.json\"))
		WHERE json_extract(value, \"\$.key\") = \"case_no\"")" = text &&
	test "$(sqlite3 :memory: "SELECT json_type(value, \"\$.value\") FROM json_each(readfile(\"show.json\"))
		WHERE json_extract(value, \"\$.key\") = \"received_by\"")" = null
'

test_expect_success '--encoding gb18030 goes with table, csv and tsv only (64)' '
	test_expect_code 64 petition case list --format json --encoding gb18030 2>err &&
	grep -q "encoding gb18030 goes with table, csv and tsv, not --format json" err &&
	test_expect_code 64 petition case list --format xlsx -o x.xlsx --encoding gb18030 2>err &&
	test_expect_code 64 petition case list --format html --encoding gb18030 2>err &&
	! test -e x.xlsx
'

# openpyxl (Debian python3-openpyxl) reads the workbook back: the ID number, the phone and
# the register number are text cells with every digit, the name a text cell (not a
# formula), persons a number; the header row is frozen.
test_expect_success 'xlsx read back: ID numbers, phones and codes as text, numbers as numbers' '
	petition case show "$(cat case_no)" -o show.xlsx &&
	test "$(stat -c %a show.xlsx)" = 600 &&
	$PY - show.xlsx >got <<-\PY &&
	import sys, openpyxl
	ws = openpyxl.load_workbook(sys.argv[1]).active
	print(ws.freeze_panes)
	for row in ws.iter_rows(min_row=2):
	    if row[1].value in ("id_number", "phone", "external_id", "petitioner", "persons"):
	        c = row[2]
	        print(row[1].value, c.data_type, c.number_format, repr(c.value))
	PY
	cat >expect <<-\EOF &&
	A2
	petitioner s @ '"'"'=HYPERLINK("http://x","点此")'"'"'
	id_number s @ '"'"'440524188001010014'"'"'
	phone s @ '"'"'13912345678'"'"'
	persons s @ '"'"'1'"'"'
	external_id s @ '"'"'0005'"'"'
	EOF
	test_cmp expect got
'

test_expect_success 'xlsx: a numeric column is a number cell' '
	petition case list -o list.xlsx &&
	$PY -c "import openpyxl; ws = openpyxl.load_workbook(\"list.xlsx\").active; c = ws[\"G2\"]; print(ws[\"G1\"].value, c.data_type, c.value)" >got &&
	echo "persons n 1" >expect &&
	test_cmp expect got
'

test_expect_success 'xlsx is refused on a terminal (64), written when stdout is a file or pipe' '
	script -qec "petition case list --format xlsx" /dev/null >tty.out;
	grep -q "xlsx is a binary file: give -o FILE" tty.out &&
	petition case list --format xlsx >piped.xlsx &&
	$PY -c "import openpyxl; print(openpyxl.load_workbook(\"piped.xlsx\").active[\"A2\"].value)" >got &&
	echo LYS-2026-000001 >expect &&
	test_cmp expect got
'

# libxlsxwriter is loaded only to write a workbook (lib/xlsx.c): a run that prints csv loads
# neither it nor the libcrypto it needs (the dynamic loader's trace names every library it
# opens), and a run that writes xlsx without it fails as an output that cannot be made (73),
# leaving no file; PETITION_XLSXWRITER names the library to load instead of the build's.
test_expect_success 'libxlsxwriter and libcrypto are loaded for xlsx only' '
	LD_DEBUG=files LD_DEBUG_OUTPUT=$PWD/csv.ld petition-case show "$(cat case_no)" --format csv >/dev/null &&
	LD_DEBUG=files LD_DEBUG_OUTPUT=$PWD/xlsx.ld petition-case show "$(cat case_no)" -o ld.xlsx &&
	cat csv.ld.* >csv.libs && cat xlsx.ld.* >xlsx.libs &&
	grep -q "file=libc\.so" csv.libs &&
	! grep -q "libxlsxwriter\|libcrypto" csv.libs &&
	grep -q "file=libxlsxwriter\.so" xlsx.libs && grep -q "file=libcrypto\.so" xlsx.libs
'

test_expect_success 'xlsx without libxlsxwriter, or with another library in its place: 73, no file' '
	test_expect_code 73 env PETITION_XLSXWRITER=/nonexistent/libxlsxwriter.so.4 \
		petition case list -o none.xlsx 2>err &&
	grep -q "^petition-case: cannot write xlsx without libxlsxwriter: /nonexistent/libxlsxwriter.so.4: .*(install it, or use --format csv)\$" err &&
	! test -e none.xlsx &&
	test_expect_code 73 env PETITION_XLSXWRITER=libz.so.1 petition case list --format xlsx >piped.xlsx 2>err &&
	grep -q "^petition-case: cannot write xlsx: the libxlsxwriter loaded has no workbook_new_opt" err &&
	! test -s piped.xlsx &&
	env PETITION_XLSXWRITER=/nonexistent petition case list --format csv >list.csv &&
	test "$(wc -l <list.csv)" = 2
'

test_expect_success '-o FILE: the format from the suffix, 0600, --format wins over the suffix' '
	petition case list -o l.json &&
	test "$(stat -c %a l.json)" = 600 &&
	test "$(sqlite3 :memory: "SELECT json_array_length(readfile(\"l.json\"))")" = 1 &&
	petition case list -o l.tsv && test "$(head -1 l.tsv | cut -f1)" = case_no &&
	petition case list -o l.html && grep -q "<td>LYS-2026-000001</td>" l.html &&
	petition case list -o l.txt && cmp l.txt lf &&
	petition case list --format json -o j.csv && head -c 1 j.csv | grep -q "\[" &&
	petition schedule list -o days.ics && test "$(head -1 days.ics)" = "BEGIN:VCALENDAR$(printf "\r")" &&
	umask 022 && petition case list --output l2.csv && test "$(stat -c %a l2.csv)" = 600 &&
	ls -a | grep -v "^\.\{1,2\}\$" >files && ! grep -q "\.[A-Za-z0-9]\{6\}\$" files
'

test_expect_success '-o FILE: a failed run leaves FILE as it was and no temporary file (66, 73, 74)' '
	echo old >keep.csv &&
	test_expect_code 66 petition case show LYS-2026-000099 -o keep.csv &&
	echo old >expect && test_cmp expect keep.csv &&
	test_expect_code 73 petition case list -o no/such/dir.csv 2>err &&
	grep -q "cannot create no/such/dir.csv" err &&
	mkdir dir.csv &&
	test_expect_code 73 petition case list -o dir.csv 2>err &&
	grep -q "cannot create dir.csv" err &&
	test -d dir.csv &&
	# a file size limit of one block (512 bytes) makes writing the 45 columns of part A fail:
	# EFBIG, the signal ignored
	test_expect_code 74 sh -c "trap \"\" XFSZ; ulimit -f 1; exec petition report quarter -o big.csv" 2>err &&
	grep -q "cannot write" err &&
	ls -a >files && ! grep -q "big\|\.[A-Za-z0-9]\{6\}\$" files
'

test_expect_success 'every program that prints records: 73 when the file of -o cannot be created' '
	for cmd in "audit log" "audit verify" "case list" "intake --print --csv /dev/null" "report quarter" \
		"route --explain LYS-2026-000001" "rules history" "schedule calendar" "schedule due"; do
		test_expect_code 73 petition $cmd -o no/such/dir.csv 2>err || return 1
		grep -q "cannot create no/such/dir.csv" err || return 1
	done
'

test_expect_success '-o goes with programs that print records; -o without a name is a usage error' '
	test_expect_code 64 petition case list -o "" 2>err &&
	grep -q "needs a file name" err &&
	test_expect_code 64 petition schedule add --unit LYS --day 2026-12-01 -o x.csv 2>err &&
	! test -e x.csv
'

# The round trip a clerk makes: export with --excel, open it in a spreadsheet, lay it out
# as intake reads it (Python's csv module plays the spreadsheet, keeping each cell's text
# as Excel would keep ="..." and '"'"'=...), import it into a new database: every value is
# back as it was.
test_expect_success 'round trip: --excel export, rearranged in a spreadsheet, imported again' '
	petition case show "$(cat case_no)" --excel >export.csv &&
	$PY - export.csv >again.csv <<-\PY &&
	import csv, sys
	rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
	v = {r[1]: r[2] for r in rows[1:] if r[0] == "case"}
	keys = ["received_on", "channel", "petitioner", "id_number", "phone", "external_id", "category", "summary"]
	v["channel"] = v["channel"].split(" ")[0]
	w = csv.writer(sys.stdout, lineterminator="\r\n")
	w.writerow(keys)
	w.writerow([v[k] for k in keys])
	PY
	grep -q "=\"\"440524188001010014\"\"" again.csv &&
	petition init -q --db again.db && petition intake --db again.db --csv again.csv -q &&
	for k in petitioner id_number phone external_id summary; do
		test "$(petition case show LYS-2026-000001 --db again.db --format csv |
			awk -F, -v k=$k "\$1 == \"case\" && \$2 == k" | cut -d, -f3-)" = \
		     "$(petition case show LYS-2026-000001 --format csv | awk -F, -v k=$k "\$1 == \"case\" && \$2 == k" | cut -d, -f3-)" || return 1
	done &&
	test "$(PETITION_DB=again.db show LYS-2026-000001 id_number)" = 440524188001010014
'

test_done
