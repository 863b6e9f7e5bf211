#!/bin/sh
# The full register (台账): case list --columns, --all-columns, --lang zh and --redact, and
# the round trip of an export through intake --csv into a fresh database (petition-case(1),
# "The register").
. "$(dirname "$0")/lib.sh"

# Four hand-chosen petitions with every field of intake filled somewhere (by hand):
#   1 a visit of 5 persons received by leader 王建国: collective (rules: collective_persons
#     5); an ID number ending in X (11010519491231002X, DOMAIN's valid example), a landline,
#     register number 0005 (leading zeros), competent unit LSQ, so 越级 (skip_level: it
#     reached LYS, above LSQ, which has not handled it) -> LYS-2026-000001
#   2 a letter naming leader 李文华: a named letter; register number 00012 -> LYS-2026-000002
#   3 a case transferred from above to LSQ with its document number (source_ref); no ID
#     number -> LSQ-2026-000001 (LSQ's own sequence)
#   4 the same person and matter as 1 (ID number, employer, category) two months later:
#     a repeat of LYS-2026-000001, named in repeat_of too -> LYS-2026-000003
cat >in.csv <<'EOF'
received_on,channel,petitioner,id_number,phone,employer,unit,received_by,category,persons,addressed_to,summary,external_id,source_ref,competent_unit,repeat_of
2026-03-02,visit,张三,11010519491231002x,0539-8123456,临沂某机械厂,LYS,王建国,劳动报酬,5,,拖欠工资三个月,0005,,LSQ,
2026-03-05,letter,李四,440524188001010014,13912345678,临沂某商贸公司,LYS,,社会保险,1,李文华,未缴社保,00012,,LYS,
2026-04-01,transfer,王五,,0539-2345678,兰山某建筑公司,LSQ,,劳动合同,1,,未签劳动合同,0100,临总信转〔2026〕3号,LSQ,
2026-05-06,visit,张三,11010519491231002X,0539-8123456,临沂某机械厂,LYS,,劳动报酬,1,,工资仍未发放,0006,,LSQ,LYS-2026-000001
EOF

# Every field of a petition as stored, with repeat_of as the case number it names and the
# flags intake works out, by case number.
fields() {
	sqlite3 -separator '|' "$1" "SELECT p.case_no, p.received_on, p.channel, p.petitioner, p.id_number,
		p.phone, p.employer, p.unit, p.received_by, p.category, p.persons, p.addressed_to, p.summary,
		p.external_id, p.source_ref, p.competent_unit, r.case_no, p.collective, p.repeat,
		p.named_letter, p.final_of IS NOT NULL, p.skip_level, p.addressed_unknown
		FROM petitions p LEFT JOIN petitions r ON r.id = p.repeat_of ORDER BY p.case_no"
}

# The same, written by hand from the table above (flags: collective repeat named_letter
# final skip_level addressed_unknown). 3 has no 越级: it was received by LSQ itself.
cat >expect <<'EOF'
LSQ-2026-000001|2026-04-01|transfer|王五||0539-2345678|兰山某建筑公司|LSQ||劳动合同|1||未签劳动合同|0100|临总信转〔2026〕3号|LSQ||0|0|0|0|0|0
LYS-2026-000001|2026-03-02|visit|张三|11010519491231002X|0539-8123456|临沂某机械厂|LYS|王建国|劳动报酬|5||拖欠工资三个月|0005||LSQ||1|0|0|0|1|0
LYS-2026-000002|2026-03-05|letter|李四|440524188001010014|13912345678|临沂某商贸公司|LYS||社会保险|1|李文华|未缴社保|00012||LYS||0|0|1|0|0|0
LYS-2026-000003|2026-05-06|visit|张三|11010519491231002X|0539-8123456|临沂某机械厂|LYS||劳动报酬|1||工资仍未发放|0006||LSQ|LYS-2026-000001|0|1|0|0|1|0
EOF

# A repeat_of naming a case of the same file is found only once that case is registered,
# so a fresh database takes such a file twice: the first run registers 1-3 and leaves 4 in
# the rejects file; the second finds 1-3 present (same unit and register number) and
# registers 4, which repeats LYS-2026-000001, as before (petition-case(1), "The register").
reimport() {
	petition init -q --db "$2" &&
	test_expect_code 1 petition intake -q --db "$2" --csv "$1" --rejects rejects.csv &&
	petition intake --db "$2" --csv "$1" 2>err &&
	grep -q "1 added, 3 already present, 0 rejected" err
}

test_expect_success 'setup: the four petitions, one of them accepted' '
	reimport in.csv a.db &&
	petition case accept --db a.db LYS-2026-000001 --on 2026-03-10 >/dev/null &&
	fields a.db >got &&
	test_cmp expect got
'

test_expect_success '--all-columns: intake'"'"'s fields in its order, re-imported field by field' '
	petition case list --db a.db --all-columns --format csv >reg.csv &&
	head -n 1 reg.csv | tr -d "\r" >head &&
	head -n 1 in.csv >want &&
	test_cmp want head &&
	grep -q ",0005," reg.csv && grep -q ",00012," reg.csv &&
	grep -q ",11010519491231002X,0539-8123456," reg.csv &&
	reimport reg.csv b.db &&
	fields b.db >got &&
	test_cmp expect got
'

test_expect_success '--lang zh --all-columns: Chinese headers and values, re-imported field by field' '
	petition case list --db a.db --all-columns --lang zh --format csv >zh.csv &&
	cat >want <<-\EOF &&
	收到日期,渠道,姓名,身份证号,电话,工作单位,受理单位,接待领导,类别,人数,署名领导,内容,编号,来文号,属地工会,重复件
	2026-03-02,来访,张三,11010519491231002X,0539-8123456,临沂某机械厂,临沂市总工会,王建国,劳动报酬,5,,拖欠工资三个月,0005,,兰山区总工会,
	2026-03-05,来信,李四,440524188001010014,13912345678,临沂某商贸公司,临沂市总工会,,社会保险,1,李文华,未缴社保,00012,,临沂市总工会,
	2026-04-01,上级转送,王五,,0539-2345678,兰山某建筑公司,兰山区总工会,,劳动合同,1,,未签劳动合同,0100,临总信转〔2026〕3号,兰山区总工会,
	2026-05-06,来访,张三,11010519491231002X,0539-8123456,临沂某机械厂,临沂市总工会,,劳动报酬,1,,工资仍未发放,0006,,兰山区总工会,LYS-2026-000001
	EOF
	tr -d "\r" <zh.csv >got &&
	test_cmp want got &&
	reimport zh.csv c.db &&
	fields c.db >got &&
	test_cmp expect got
'

# Through Excel (issue 12, item 1): --excel writes 0005 as ="0005" (quoted: "=""0005"""),
# with a BOM and CRLF, which intake reads back as the text it is; the workbook, read by
# openpyxl (Debian python3-openpyxl) and saved as CSV as a clerk's program would, has them
# as text cells.
test_expect_success '--all-columns --lang zh --excel: re-imported field by field' '
	petition case list --db a.db --all-columns --lang zh --excel >excel.csv &&
	grep -qF ",\"=\"\"0005\"\"\"," excel.csv &&
	reimport excel.csv e.db &&
	fields e.db >got &&
	test_cmp expect got
'

test_expect_success '--all-columns --lang zh -o FILE.xlsx: read back, re-imported field by field' '
	petition case list --db a.db --all-columns --lang zh -o reg.xlsx &&
	/usr/bin/python3 - reg.xlsx >xlsx.csv <<-\PY &&
	import csv, sys, openpyxl
	ws = openpyxl.load_workbook(sys.argv[1]).active
	w = csv.writer(sys.stdout, lineterminator="\n")
	for row in ws.iter_rows(values_only=True):
	    w.writerow(["" if v is None else v for v in row])
	PY
	grep -q ",0005," xlsx.csv &&
	reimport xlsx.csv f.db &&
	fields f.db >got &&
	test_cmp expect got
'

test_expect_success '--lang zh: the case'"'"'s own columns in Chinese; JSON keeps the codes' '
	petition case list --db a.db --columns 案号,state,flags --lang zh --format csv --to 2026-03-31 >out &&
	cat >want <<-\EOF &&
	案号,状态,标记
	LYS-2026-000001,受理,集体访 越级
	LYS-2026-000002,登记,署名信
	EOF
	tr -d "\r" <out >got &&
	test_cmp want got &&
	petition case list --db a.db --columns channel,state,unit --lang zh --format json --to 2026-03-02 >got &&
	grep -q "\"channel\": \"visit\", \"state\": \"accepted\", \"unit\": \"LYS\"" got
'

test_expect_success '--columns: in the order given, English or Chinese names' '
	petition case list --db a.db --columns "phone,case_no,姓名、repeat_of" --format csv --unit LYS >out &&
	cat >want <<-\EOF &&
	phone,case_no,petitioner,repeat_of
	0539-8123456,LYS-2026-000001,张三,
	13912345678,LYS-2026-000002,李四,
	0539-8123456,LYS-2026-000003,张三,LYS-2026-000001
	EOF
	tr -d "\r" <out >got &&
	test_cmp want got
'

# repeat_of as corrected: after "case repeat --not" the case repeats none (petition-case(1),
# repeat), and after "--of" the case it names.
test_expect_success 'repeat_of follows the latest correction' '
	cp a.db d.db &&
	petition case repeat --db d.db LYS-2026-000003 --not --reason 另一事项 --on 2026-05-07 >/dev/null &&
	petition case list --db d.db --columns case_no,repeat_of --format csv --from 2026-05-06 | tr -d "\r" >got &&
	printf "%s\n" case_no,repeat_of LYS-2026-000003, >want &&
	test_cmp want got &&
	petition case repeat --db d.db LYS-2026-000003 --of LYS-2026-000002 --reason 同一事项 --on 2026-05-08 >/dev/null &&
	petition case list --db d.db --columns case_no,repeat_of --format csv --from 2026-05-06 | tr -d "\r" >got &&
	printf "%s\n" case_no,repeat_of LYS-2026-000003,LYS-2026-000002 >want &&
	test_cmp want got
'

# The masks (petition(1), Personal data): a name keeps its first character, an ID number
# its first 6 and last 4, a phone its first 3 and last 4 digits with the dashes; the
# summary has none of them, so it stays.
test_expect_success '--redact masks the personal columns' '
	petition case list --db a.db --columns petitioner,id_number,phone,summary --redact --format csv --to 2026-03-02 >out &&
	cat >want <<-\EOF &&
	petitioner,id_number,phone,summary
	张*,110105********002X,053*-***3456,拖欠工资三个月
	EOF
	tr -d "\r" <out >got &&
	test_cmp want got
'

test_expect_success 'an unknown column is 64 with the name it most likely meant' '
	test_expect_code 64 petition case list --db a.db --columns case_no,phon 2>err &&
	grep -q "'"'"'phon'"'"' is not a column (did you mean '"'"'phone'"'"'?)" err &&
	test_expect_code 64 petition case list --db a.db --columns case_no,case_no 2>err &&
	grep -q "given twice" err &&
	test_expect_code 64 petition case list --db a.db --columns 经办人 2>err &&
	grep -q "'"'"'经办人'"'"' is not a column (received_on, channel, petitioner, " err &&
	test_expect_code 64 petition case list --db a.db --columns phone --all-columns 2>err &&
	test_expect_code 64 petition case list --db a.db --lang fr 2>err &&
	grep -q "not zh or en" err
'

test_done
