#!/bin/sh
# petition audit log (petition-audit(1)): the events one a row, in Beijing time, with the
# label of a case event, the case number and the data in words (never the rows an event
# wrote); a case's events; the filters --kind, --operator, --from/--to (Beijing days);
# --format json with the data as an object; any kind the log holds; the usage errors.
. "$(dirname "$0")/lib.sh"

# The copy whose times and kinds are edited below is meant not to replay.
replay_skip="t.db"

# sq SQL: one value of petition.db.
sq() {
	sqlite3 petition.db "$1"
}

test_expect_success 'setup: import, route, two cases moved on, one by another operator' '
	petition init -q &&
	petition intake -q --csv "$TEST_SRC/../examples/petitions.csv" >/dev/null &&
	petition route -q >/dev/null &&
	petition case -q accept LYS-2026-000001 >/dev/null &&
	PETITION_OPERATOR=王芳 petition case -q resolve LYS-2026-000001 --outcome 支持 --text 已答复 >/dev/null &&
	petition case -q reject LYS-2026-000002 --reason 不属于受理范围 --refer 人民法院 >/dev/null &&
	test "$(sq "SELECT count(*) FROM events")" -eq 7
'

test_expect_success 'every event, oldest first, one a row; the count on stderr' '
	petition audit log >out 2>err &&
	tr -d "\r" <out >got &&
	echo "id,at,operator,program,kind,label,case,what" >expect &&
	head -1 got >head1 &&
	test_cmp expect head1 &&
	cut -d, -f1 got | sed 1d | tr "\n" " " >ids &&
	printf "1 2 3 4 5 6 7 " >expect &&
	test_cmp expect ids &&
	grep -q "^petition-audit: 7 events$" err
'

test_expect_success 'a case event: who, program, kind with its label, the case, the move in words' '
	petition audit log --format tsv >out &&
	grep "	resolved	" out | cut -f1,3- >got &&
	printf "6\t王芳\tpetition-case\tresolved\t办结\tLYS-2026-000001\t" >expect &&
	printf "accepted → resolved; on 2026-11-28; outcome: 支持; text: 已答复; steps_done: 1\n" >>expect &&
	test_cmp expect got &&
	grep "	rejected	" out | cut -f5- >got &&
	printf "rejected\t不予受理\tLYS-2026-000002\tassigned → rejected; on 2026-11-28; refer: 人民法院; " >expect &&
	printf "reason: 不属于受理范围; notified_on: 2026-11-28; steps_cancelled: 2\n" >>expect &&
	test_cmp expect got
'

test_expect_success 'bulk events: how many rows they added, never the rows; other kinds without label or case' '
	petition audit log --format tsv >out &&
	grep "	intake	" out | cut -f5-7 >got &&
	printf "intake\t\t\n" >expect &&
	test_cmp expect got &&
	grep "	intake	" out | grep -q "added: 25; .*petitions: 25 rows added$" &&
	grep "	routed	" out | grep -q "	交办		on 2026-11-28; .*steps: 36 rows added$" &&
	grep "	accepted	" out | grep -q "assigned → accepted; on 2026-11-28; notified_on: 2026-11-28$" &&
	! grep -q "\"t\":\|\"op\":" out &&
	! grep -q "Linyi" out &&
	grep "	rules.load	" out | grep -q "sha256: $(sq "SELECT substr(sha256, 1, 12) FROM rules")…; source: (default)$"
'

test_expect_success 'at: the UTC time of the log in Beijing time, with the offset' '
	petition audit log --format tsv >out &&
	want=$(sq "SELECT strftime('"'"'%Y-%m-%dT%H:%M:%S+08:00'"'"', at, '"'"'+8 hours'"'"') FROM events WHERE id = 6") &&
	test "$(grep "^6	" out | cut -f2)" = "$want" &&
	cp petition.db t.db &&
	sqlite3 t.db "UPDATE events SET at = '"'"'2026-11-27T16:30:00Z'"'"' WHERE id = 6" &&
	test "$(petition audit log -q --db t.db --format tsv | grep "^6	" | cut -f2)" = 2026-11-28T00:30:00+08:00
'

test_expect_success 'CASE: its events, its import and the routing run that gave it steps; by number or id' '
	petition audit log -q LYS-2026-000001 --format tsv | sed 1d | cut -f1,5 >got &&
	printf "3\tintake\n4\trouted\n5\taccepted\n6\tresolved\n" >expect &&
	test_cmp expect got &&
	petition audit log -q 1 --format tsv | sed 1d | cut -f1,5 >got &&
	test_cmp expect got &&
	petition audit log -q LYS-2026-000002 --format tsv | sed 1d | cut -f1,5 >got &&
	printf "3\tintake\n4\trouted\n7\trejected\n" >expect &&
	test_cmp expect got &&
	petition audit log -q LYS-2026-000003 --format tsv | sed 1d | cut -f1 | tr "\n" " " >got &&
	printf "3 4 " >expect &&
	test_cmp expect got
'

test_expect_success 'no such case: exit 66' '
	test_expect_code 66 petition audit log LYS-2026-000999 >out 2>err &&
	grep -q "no case .LYS-2026-000999." err &&
	test ! -s out
'

test_expect_success '--kind: codes and labels, a comma list; a kind of the toolkit the log lacks lists nothing' '
	petition audit log -q --kind resolved,rejected --format tsv | sed 1d | cut -f1 | tr "\n" " " >got &&
	printf "6 7 " >expect &&
	test_cmp expect got &&
	petition audit log -q --kind "办结, intake" --format tsv | sed 1d | cut -f1 | tr "\n" " " >got &&
	printf "3 6 " >expect &&
	test_cmp expect got &&
	petition audit log -q --kind rules.load --format tsv | sed 1d | cut -f1 >got &&
	echo 2 >expect &&
	test_cmp expect got &&
	petition audit log --kind closed --format tsv >out 2>err &&
	test "$(wc -l <out)" -eq 1 &&
	grep -q "^petition-audit: 0 events$" err
'

test_expect_success '--kind: an unknown kind is a usage error listing the kinds the log holds' '
	test_expect_code 64 petition audit log --kind resolved,frob >out 2>err &&
	test ! -s out &&
	grep -q "^petition-audit: --kind .frob. is no kind of event; the log holds init, rules.load, intake, routed, accepted, resolved, rejected$" err &&
	test_expect_code 64 petition audit log --kind " , " 2>err &&
	grep -q "kind names no kind" err
'

test_expect_success 'any kind the log holds is listed, one the toolkit does not know without a label' '
	cp petition.db t.db &&
	sqlite3 t.db "UPDATE events SET kind = '"'"'merged'"'"' WHERE id = 7" &&
	petition audit log -q --db t.db --kind merged --format tsv | sed 1d | cut -f1,5-7 >got &&
	printf "7\tmerged\t\tLYS-2026-000002\n" >expect &&
	test_cmp expect got
'

test_expect_success '--operator: only that operator'"'"'s events' '
	petition audit log -q --operator 王芳 --format tsv | sed 1d | cut -f1 >got &&
	echo 6 >expect &&
	test_cmp expect got &&
	petition audit log -q --operator nobody --format tsv >got &&
	test "$(wc -l <got)" -eq 1
'

# Beijing days: UTC 2026-11-27T15:59:59Z is 11-27 23:59:59, 16:00:00Z already 11-28 00:00,
# 2026-11-28T15:59:59Z the last second of 11-28, 16:00:00Z 11-29.
test_expect_success '--from/--to: Beijing days, inclusive, across the UTC day' '
	cp petition.db t.db &&
	sqlite3 t.db "UPDATE events SET at = CASE id WHEN 4 THEN '"'"'2026-11-27T15:59:59Z'"'"'
		WHEN 5 THEN '"'"'2026-11-27T16:00:00Z'"'"' WHEN 6 THEN '"'"'2026-11-28T15:59:59Z'"'"'
		WHEN 7 THEN '"'"'2026-11-28T16:00:00Z'"'"' ELSE '"'"'2026-11-20T02:00:00Z'"'"' END" &&
	petition audit log -q --db t.db --from 2026-11-28 --to 2026-11-28 --format tsv | sed 1d | cut -f1,2 >got &&
	printf "5\t2026-11-28T00:00:00+08:00\n6\t2026-11-28T23:59:59+08:00\n" >expect &&
	test_cmp expect got &&
	petition audit log -q --db t.db --from 2026/11/28 --format tsv | sed 1d | cut -f1 | tr "\n" " " >got &&
	printf "5 6 7 " >expect &&
	test_cmp expect got &&
	petition audit log -q --db t.db --to 2026年11月27日 --format tsv | sed 1d | cut -f1 | tr "\n" " " >got &&
	printf "1 2 3 4 " >expect &&
	test_cmp expect got &&
	petition audit log -q --db t.db LYS-2026-000001 --kind accepted,resolved --from 2026-11-29 --format tsv >got &&
	test "$(wc -l <got)" -eq 1
'

test_expect_success '--format json: the data as an object, without the rows it wrote' '
	petition audit log -q --format json >out.json &&
	test "$(sqlite3 :memory: "SELECT json_array_length(readfile('"'"'out.json'"'"'))")" -eq 7 &&
	sqlite3 :memory: "SELECT json_extract(readfile('"'"'out.json'"'"'), '"'"'\$[5].data.outcome'"'"'),
		json_extract(readfile('"'"'out.json'"'"'), '"'"'\$[5].label'"'"'),
		json_extract(readfile('"'"'out.json'"'"'), '"'"'\$[5].id'"'"'),
		json_type(readfile('"'"'out.json'"'"'), '"'"'\$[5].data'"'"'),
		json_type(readfile('"'"'out.json'"'"'), '"'"'\$[5].data.rows'"'"'),
		json_extract(readfile('"'"'out.json'"'"'), '"'"'\$[2].data.bulk.petitions.rows'"'"'),
		json_type(readfile('"'"'out.json'"'"'), '"'"'\$[2].what'"'"')" >got &&
	echo "支持|办结|6|object||25|" >expect &&
	test_cmp expect got
'

test_expect_success 'usage: a date that is not one, a reversed range, two cases, an option of verify' '
	test_expect_code 64 petition audit log --from 2026-02-30 2>err &&
	grep -q "^petition-audit: --from .2026-02-30. is not a date" err &&
	test_expect_code 64 petition audit log --from 2026-11-29 --to 2026-11-28 2>err &&
	grep -q "^petition-audit: --from 2026-11-29 is after --to 2026-11-28$" err &&
	test_expect_code 64 petition audit log 1 2 2>err &&
	test_expect_code 64 petition audit log --head "1:$(printf "%064d" 0)" 2>err &&
	test_expect_code 64 petition audit verify --kind resolved 2>err &&
	test_expect_code 66 petition audit log --db nothere.db 2>err &&
	test ! -e nothere.db
'

test_expect_success 'log writes nothing' '
	db_dump >before &&
	petition audit log -q >/dev/null &&
	petition audit log -q 1 --kind resolved --format json >/dev/null &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'without PETITION_OPERATOR the operator is the login name, looked up by the write' '
	petition init -q --db who.db &&
	(unset PETITION_OPERATOR; petition case --db who.db list >/dev/null &&
	 petition intake --db who.db -q --channel 来访 --petitioner 甲 --category 咨询 --summary 问 >/dev/null) &&
	test "$(sqlite3 who.db "SELECT operator FROM events ORDER BY id DESC LIMIT 1")" = "$(id -un)"
'

test_done
