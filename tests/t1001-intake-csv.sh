#!/bin/sh
# petition-intake --csv: spreadsheets, encodings, all-or-nothing, rejects, idempotence.
. "$(dirname "$0")/lib.sh"

q() { sqlite3 petition.db "$1"; }
SAMPLE=$TEST_SRC/../examples/petitions.csv

test_expect_success 'setup' '
	petition init -q
'

for csv in "$FIXTURES"/csv/*.csv; do
	name=$(basename "$csv" .csv)
	test_expect_success "refused: $name.csv, exit 65, its message, database unchanged" '
		cp "$FIXTURES/csv/$name.csv" . &&
		db_dump >before &&
		test_expect_code 65 petition intake --csv $name.csv 2>err &&
		test_cmp "$FIXTURES/csv/$name.err" err &&
		db_dump >after &&
		test_cmp before after
	'
done

test_expect_success 'the sample spreadsheet (Chinese headers, CRLF, quoted newlines) imports' '
	petition intake --csv "$SAMPLE" 2>err &&
	echo "petition-intake: 25 added, 0 already present, 0 rejected" >expect &&
	test_cmp expect err &&
	test "$(q "SELECT count(*) FROM petitions")" = 25 &&
	test "$(q "SELECT min(case_no) || '"'"' '"'"' || max(case_no) FROM petitions")" = \
		"LYS-2026-000001 LYS-2026-000025" &&
	test "$(q "SELECT summary FROM petitions WHERE external_id = '"'"'2026-002'"'"'")" = \
		"$(printf "来信反映：企业未为其缴纳2019年至2023年的养老保险，\n要求补缴并说明情况。")" &&
	test "$(q "SELECT source_ref FROM petitions WHERE external_id = '"'"'2026-005'"'"'")" = "鲁工信转〔2026〕41号" &&
	test "$(q "SELECT count(*) FROM events WHERE kind = '"'"'intake'"'"'")" = 1
'

test_expect_success 'flags computed from the sample: collective, repeat, named letters' '
	test "$(q "SELECT group_concat(external_id, '"'"' '"'"') FROM (SELECT external_id FROM petitions WHERE collective ORDER BY id)")" = \
		"2026-006 2026-014 2026-016" &&
	test "$(q "SELECT group_concat(external_id) FROM petitions WHERE repeat")" = "2026-016" &&
	test "$(q "SELECT group_concat(external_id, '"'"' '"'"') FROM (SELECT external_id FROM petitions WHERE named_letter ORDER BY id)")" = \
		"2026-002 2026-009 2026-018 2026-024"
'

test_expect_success 'importing the same file again adds nothing' '
	db_dump >before &&
	petition intake --csv "$SAMPLE" 2>err &&
	echo "petition-intake: 0 added, 25 already present, 0 rejected" >expect &&
	test_cmp expect err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'the same rows without external ids are recognised by their content' '
	sed "s/,2026-0[0-9][0-9],/,,/" "$SAMPLE" >noid.csv &&
	petition init -q --db fp.db &&
	petition intake --db fp.db --csv noid.csv 2>err &&
	grep -q "25 added" err &&
	petition intake --db fp.db --csv noid.csv 2>err &&
	grep -q "0 added, 25 already present" err
'

test_expect_success 'a BOM and LF line ends are accepted; standard input with --csv -' '
	printf "\357\273\277received_on,channel,petitioner,category,summary\n2026-05-01,来访,周一,咨询,\"问题一，问题二\"\n" >bom.csv &&
	petition intake --csv - <bom.csv 2>err &&
	grep -q "1 added" err &&
	test "$(q "SELECT summary FROM petitions WHERE petitioner = '"'"'周一'"'"'")" = "问题一，问题二"
'

test_expect_success 'quotes doubled inside a quoted field' '
	printf "%s\r\n" "received_on,channel,petitioner,category,summary" \
		"2026-05-02,来信,周二,欠薪,\"他说\"\"月底还钱\"\",至今未还\"" >quotes.csv &&
	petition intake --csv quotes.csv 2>err &&
	test "$(q "SELECT summary FROM petitions WHERE petitioner = '"'"'周二'"'"'")" = "他说\"月底还钱\",至今未还"
'

test_expect_success 'GB18030 (Excel/WPS "CSV" in GBK) with --encoding gb18030 gives the same rows' '
	iconv -f UTF-8 -t GB18030 "$SAMPLE" >gbk.csv &&
	petition init -q --db gbk.db &&
	petition intake --db gbk.db --encoding gb18030 --csv gbk.csv 2>err &&
	grep -q "25 added" err &&
	sqlite3 gbk.db "SELECT case_no, petitioner, summary, category FROM petitions ORDER BY id" >got &&
	sqlite3 petition.db "SELECT case_no, petitioner, summary, category FROM petitions WHERE id <= 25 ORDER BY id" >expect &&
	test_cmp expect got
'

test_expect_success 'UTF-8 read as GB18030 is refused with a hint' '
	printf "received_on,channel,petitioner,category,summary\n2026-05-01,来访,周三,咨询,x\200\n" >u8.csv &&
	petition init -q --db enc.db &&
	test_expect_code 65 petition intake --db enc.db --encoding gb18030 --csv u8.csv 2>err &&
	grep -q "u8.csv:2: bytes that are not GB18030 text" err
'

test_expect_success 'mixed file, all-or-nothing: every bad row listed, nothing written' '
	cat >mixed.csv <<-\EOF &&
	收到日期,形式,姓名,身份证号,类别,内容
	2026-06-01,来访,好一,,咨询,好的
	2026-06-31,来访,坏一,,咨询,坏日期
	2026-06-02,来访,好二,,咨询,"好的,
	两行"
	2026-06-03,来访,坏二,11010519491231002Y,咨询,坏身份证
	EOF
	db_dump >before &&
	test_expect_code 65 petition intake --csv mixed.csv 2>err &&
	cat >expect <<-\EOF &&
	petition-intake: mixed.csv:3: received_on '"'"'2026-06-31'"'"': not a date (YYYY-MM-DD, YYYY/M/D or YYYY年M月D日)
	petition-intake: mixed.csv:6: id_number '"'"'11010519491231002Y'"'"': the last character must be a digit or X
	petition-intake: 2 bad rows; nothing was registered
	EOF
	test_cmp expect err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success '--rejects: good rows imported, bad rows written with line and error (mode 0600)' '
	test_expect_code 1 petition intake --csv mixed.csv --rejects rejects.csv 2>err &&
	tail -1 err >last &&
	echo "petition-intake: 2 added, 0 already present, 2 rejected (written to rejects.csv)" >expect &&
	test_cmp expect last &&
	grep -q "^petition-intake: mixed.csv:3: received_on" err &&
	printf "%s\r\n" "收到日期,形式,姓名,身份证号,类别,内容,line,error" \
		"2026-06-31,来访,坏一,,咨询,坏日期,3,\"received_on '"'"'2026-06-31'"'"': not a date (YYYY-MM-DD, YYYY/M/D or YYYY年M月D日)\"" \
		"2026-06-03,来访,坏二,11010519491231002Y,咨询,坏身份证,6,id_number '"'"'11010519491231002Y'"'"': the last character must be a digit or X" >expect &&
	test_cmp expect rejects.csv &&
	test "$(stat -c %a rejects.csv)" = 600 &&
	test "$(q "SELECT count(*) FROM petitions WHERE petitioner IN ('"'"'好一'"'"', '"'"'好二'"'"')")" = 2
'

test_expect_success '--rejects in a missing directory: exit 73, nothing written' '
	db_dump >before &&
	test_expect_code 73 petition intake --csv mixed.csv --rejects nodir/r.csv 2>err &&
	grep -q "cannot create nodir/r.csv" err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success '--dry-run validates and counts, writes nothing' '
	printf "received_on,channel,petitioner,category,summary\n2026-07-01,来访,新人,咨询,新的\n" >new.csv &&
	db_dump >before &&
	petition intake --dry-run --csv new.csv 2>err &&
	grep -q "1 added, 0 already present, 0 rejected" err &&
	grep -q "dry run: nothing was written" err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success '--ignore-unknown skips columns that name no field' '
	printf "收到日期,形式,姓名,类别,内容,备注\n2026-07-02,来访,备注人,咨询,有备注,随便\n" >extra.csv &&
	petition intake --ignore-unknown --csv extra.csv 2>err &&
	grep -q "1 added" err
'

test_expect_success '--print lists what became of every row' '
	printf "received_on,channel,petitioner,category,summary,persons\n2026-07-03,来访,列一,欠薪,集体讨薪,7\n2026-07-03,来访,列二,房产,x,1\n" >p.csv &&
	test_expect_code 1 petition intake --print --format csv --rejects p-rej.csv --csv p.csv >out 2>err &&
	printf "%s\n" "line,case_no,result,received_on,unit,channel,petitioner,category,persons,flags,error" \
		"2,LYS-2026-000031,new,2026-07-03,LYS,visit,列一,劳动报酬,7,collective," \
		"3,,rejected,2026-07-03,LYS,visit,列二,房产,1,,category '"'"'房产'"'"': not a category in the rules (petition rules show)" >expect &&
	test_cmp expect out
'

test_expect_success '--print shows a present row with the flags it was stored with' '
	petition intake --print --format csv --csv "$SAMPLE" 2>err | tr -d "\r" >out &&
	grep -q "^8,LYS-2026-000006,present,.*,collective,$" out &&
	grep -q "^18,LYS-2026-000016,present,.*,collective repeat,$" out &&
	grep -q "^2,LYS-2026-000001,present,.*,1,,$" out
'

test_expect_success '--rejects keeps a short or long record under the header' '
	printf "received_on,channel,petitioner,category,summary\na,b\n2026-01-01,来访,甲,咨询,x,多,余\n" >short.csv &&
	test_expect_code 1 petition intake --csv short.csv --rejects short-rej.csv --print --format csv >out 2>err &&
	grep -q "^2,,rejected,a,,b," out &&
	printf "%s\r\n" "received_on,channel,petitioner,category,summary,line,error" \
		"a,b,,,,2,\"has 2 fields, the header has 5\"" \
		"2026-01-01,来访,甲,咨询,x,3,\"has 7 fields, the header has 5; extra fields: 多 | 余\"" >expect &&
	test_cmp expect short-rej.csv
'

test_expect_success 'a run stopped by a malformed file leaves no rejects file' '
	cp "$FIXTURES/csv/stray-quote.csv" . &&
	test_expect_code 65 petition intake --csv stray-quote.csv --rejects sq-rej.csv 2>err &&
	test ! -e sq-rej.csv
'

test_expect_success '--rejects replaces an old file whole (0600), never the file being imported' '
	umask 022 && echo old >old-rej.csv && chmod 644 old-rej.csv &&
	ln -s target.csv link-rej.csv && echo keep >target.csv &&
	test_expect_code 1 petition intake --csv short.csv --rejects old-rej.csv 2>err &&
	test "$(stat -c %a old-rej.csv)" = 600 &&
	! grep -q old old-rej.csv &&
	test_expect_code 1 petition intake --csv short.csv --rejects link-rej.csv 2>err &&
	test ! -L link-rej.csv && test "$(cat target.csv)" = keep &&
	cp short.csv self.csv &&
	test_expect_code 64 petition intake --csv self.csv --rejects self.csv 2>err &&
	grep -q "is the file being imported" err &&
	cmp short.csv self.csv
'

test_expect_success 'a bad PETITION_TODAY is a usage error, not ignored' '
	PETITION_TODAY=garbage test_expect_code 64 petition intake --csv "$SAMPLE" 2>err &&
	grep -q "PETITION_TODAY '"'"'garbage'"'"' is not a date" err &&
	PETITION_TODAY=2999-01-01 test_expect_code 64 petition intake --csv "$SAMPLE" 2>err &&
	grep -q "PETITION_TODAY '"'"'2999-01-01'"'"' is later than today" err
'

test_expect_success 'old Mac line ends (CR only) and blanks of Chinese input methods' '
	printf "received_on,channel,petitioner,category,summary\r2026-05-03,来访　,麦一,咨询,\"旧格式\r两行\"\r2026-05-04,来访,麦二,坏类别,x\r" >cr.csv &&
	test_expect_code 65 petition intake --csv cr.csv 2>err &&
	grep -q "^petition-intake: cr.csv:4: category '"'"'坏类别'"'"'" err &&
	! grep -q "cr.csv:2" err
'

test_expect_success '--print to a full disk: exit 74' '
	test_expect_code 74 petition intake --print --format csv --csv p.csv --rejects p-rej.csv >/dev/full 2>err &&
	grep -q "No space left on device" err
'

test_expect_success 'collective means a visit by many, not a letter or call signed by many' '
	printf "received_on,channel,petitioner,category,summary,persons\n2026-07-05,来信,联名,欠薪,十二人联名信,12\n2026-07-05,来访,集体,欠薪,十二人来访,12\n" >coll.csv &&
	petition intake --csv coll.csv 2>err &&
	test "$(q "SELECT group_concat(collective) FROM (SELECT collective FROM petitions WHERE petitioner IN ('"'"'联名'"'"', '"'"'集体'"'"') ORDER BY id)")" = "0,1"
'

test_expect_success 'repeat petitions are found whatever the order of the rows' '
	id=371302197203151235 &&
	printf "%s\n" "received_on,channel,petitioner,id_number,category,summary" \
		"2026-09-01,来访,倒序,$id,工伤,第三次" "2026-06-01,来访,倒序,$id,工伤,第二次" \
		"2026-03-01,来访,倒序,$id,工伤,第一次" "2024-01-01,来访,倒序,$id,工伤,很久以前" >newest-first.csv &&
	petition intake --csv newest-first.csv 2>err &&
	test "$(q "SELECT group_concat(summary || '"'"':'"'"' || repeat, '"'"' '"'"') FROM (SELECT summary, repeat FROM petitions WHERE petitioner = '"'"'倒序'"'"' ORDER BY received_on)")" = \
		"很久以前:0 第一次:0 第二次:1 第三次:1"
'

test_expect_success 'a different petition under an external_id already used is refused, not dropped' '
	printf "received_on,channel,petitioner,category,summary,external_id\n2026-03-01,来信,李四,社保,单位未缴社保,2026-001\n" >reuse.csv &&
	db_dump >before &&
	test_expect_code 65 petition intake --csv reuse.csv 2>err &&
	grep -q "reuse.csv:2: external_id '"'"'2026-001'"'"': already the number of LYS-2026-000001, a different petition (2026-07-02, 赵长江)" err &&
	db_dump >after &&
	test_cmp before after
'

# The percent is of the file's bytes read. The header is 48 bytes and row N is 36 bytes and
# twice the digits of N: rows 1-9 342 bytes, 10-99 3600, 100-999 37800, 1000-9999 396000,
# 10000-12000 92046; 529836 in all. After row 10000, 437836 bytes (82.6%) at least were
# read, more when reading runs ahead of the rows: between 82% and 100%.
test_expect_success 'progress on a terminal only' '
	{ echo "received_on,channel,petitioner,category,summary";
	  seq 1 12000 | sed "s/.*/2026-08-03,来电,进度&,咨询,问&/"; } >many.csv &&
	petition init -q --db progress.db &&
	script -qec "petition intake --db progress.db --csv many.csv" /dev/null >tty.out &&
	pct=$(tr "\r" "\n" <tty.out | sed -n "s/^petition-intake: 10000 rows, \([0-9]*\)%.*/\1/p") &&
	test "$pct" -ge 82 && test "$pct" -le 100 &&
	grep -q "12000 added" tty.out &&
	petition init -q --db progress2.db &&
	petition intake --db progress2.db --csv many.csv 2>err &&
	! grep -q "rows," err
'

test_expect_success 'a missing CSV file: exit 66' '
	test_expect_code 66 petition intake --csv nosuch.csv 2>err &&
	grep -q "cannot read nosuch.csv" err
'

test_expect_success 'two intakes at once: case numbers without gaps or duplicates' '
	petition init -q --db two.db &&
	for i in $(seq 1 300); do echo "2026-08-01,来访,甲$i,咨询,事项$i"; done >rows &&
	{ echo "received_on,channel,petitioner,category,summary"; cat rows; } >a.csv &&
	{ echo "received_on,channel,petitioner,category,summary"; sed "s/甲/乙/" rows; } >b.csv &&
	{ petition intake -q --db two.db --csv a.csv & pa=$!; } &&
	{ petition intake -q --db two.db --csv b.csv & pb=$!; } &&
	for i in 1 2 3 4 5; do
		{ petition intake --db two.db --received-on 2026-08-02 --channel 来电 --petitioner 丙$i \
			--category 咨询 --summary 单条$i >/dev/null & }
	done &&
	wait $pa && wait $pb && wait &&
	test "$(sqlite3 two.db "SELECT count(*), count(DISTINCT case_no), max(case_no) FROM petitions")" = \
		"605|605|LYS-2026-000605" &&
	test "$(sqlite3 two.db "SELECT last FROM case_seq")" = 605
'

# The rows read are kept in a temporary file of SQLite's before anything is written (the
# staging, petition-intake(1)): a file-size limit (ulimit -f 1024: 1 MiB), as a full
# temporary directory would, stops the import while it reads 20,000 letters (about 3 MB
# staged); the message names the temporary file, not the database, nothing is registered
# and the log still replays. SIGXFSZ is ignored so that the write fails instead of killing
# the program.
test_expect_success 'the temporary file of the rows read cannot grow: exit 74, named, nothing written' '
	petition init -q --db tmpfull.db &&
	{
		echo "received_on,channel,petitioner,category,summary,external_id" &&
		awk "BEGIN { for (i = 1; i <= 20000; i++)
			printf \"2026-01-05,来信,王%d,咨询,询问劳动合同续签和社会保险转移的办理流程和所需材料,T-%d\\n\", i, i }"
	} >big.csv &&
	( trap "" XFSZ && ulimit -f 1024 && petition intake -q --db tmpfull.db --csv big.csv ) 2>err;
	test $? = 74 &&
	grep -q "^petition-intake: cannot keep the rows read (a temporary file in SQLITE_TMPDIR, TMPDIR or /var/tmp): " err &&
	test "$(sqlite3 tmpfull.db "SELECT count(*) FROM petitions")" = 0 &&
	petition audit verify -q --db tmpfull.db
'

test_done
