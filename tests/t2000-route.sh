#!/bin/sh
# petition-route: every path of the default routing rules, explain, re-routing, manual steps,
# transfers, and every refusal.
. "$(dirname "$0")/lib.sh"

q() { sqlite3 petition.db "$1"; }

# intake OPTIONS...: register one petition received on 2026-11-20 (by the city union unless
# the options say otherwise), its summary made of the options so that no two are alike.
intake() {
	petition intake -q --received-on 2026-11-20 --petitioner 某 --summary "事项：$*" "$@"
}

test_expect_success 'setup: one case for each path of the default rules' '
	petition init -q &&
	intake --channel 来信 --category 社会保险 --addressed-to 张海燕 &&
	intake --channel 来信 --category 欠薪 &&
	intake --channel 来信 --category 咨询 &&
	intake --channel 上级转送 --category 企业改制 &&
	intake --channel 上级转送 --category 咨询 &&
	intake --channel 来访 --category 劳动报酬 --persons 6 &&
	intake --channel 来访 --category 劳动报酬 --persons 4 &&
	intake --channel 来电 --category 工时休假 &&
	intake --channel 来访 --category 劳动报酬 --persons 8 --unit LSQ &&
	intake --channel 来信 --category 民主管理 --addressed-to 王建国 --unit LSQ &&
	test "$(q "SELECT count(*) FROM petitions WHERE state = '"'"'registered'"'"'")" = 10
'

# By the document (临会办〔2014〕36号) and the default leaders' charges: 社会保险 and 劳动报酬
# are 张海燕's, 企业改制 and 民主管理 李文华's, 咨询 no one's; 王建国 is the principal. A
# county union (LSQ) lists no leaders, so the city union's serve its cases.
test_expect_success 'route: each case takes its lawful course' '
	petition route --format csv >out 2>err &&
	tr -d "\r" <out >got &&
	cat >expect <<-\EOT &&
	case_no,step,holder,action,rule
	LYS-2026-000001,1,张海燕,instruct,named_letter
	LYS-2026-000001,2,法律工作部,handle,named_letter
	LYS-2026-000002,1,办公室,open,unnamed_letter_to_leader
	LYS-2026-000002,2,张海燕,instruct,unnamed_letter_to_leader
	LYS-2026-000002,3,法律工作部,handle,unnamed_letter_to_leader
	LYS-2026-000003,1,办公室,open,unnamed_letter
	LYS-2026-000003,2,法律工作部,handle,unnamed_letter
	LYS-2026-000004,1,李文华,supervise,transferred
	LYS-2026-000004,2,法律工作部,handle,transferred
	LYS-2026-000005,1,王建国,supervise,transferred_principal
	LYS-2026-000005,2,法律工作部,handle,transferred_principal
	LYS-2026-000006,1,王建国,supervise,collective_visit
	LYS-2026-000006,2,法律工作部,handle,collective_visit
	LYS-2026-000007,1,法律工作部,handle,default
	LYS-2026-000008,1,法律工作部,handle,default
	LSQ-2026-000001,1,王建国,supervise,collective_visit
	LSQ-2026-000001,2,法律工作部,handle,collective_visit
	LSQ-2026-000002,1,王建国,instruct,named_letter
	LSQ-2026-000002,2,法律工作部,handle,named_letter
	EOT
	test_cmp expect got &&
	grep -q "10 cases routed (19 steps)" err
'

test_expect_success 'each case is assigned to the holder of its first step' '
	q "SELECT case_no, state, holder FROM petitions ORDER BY unit, id" >got &&
	cat >expect <<-\EOT &&
	LSQ-2026-000001|assigned|王建国
	LSQ-2026-000002|assigned|王建国
	LYS-2026-000001|assigned|张海燕
	LYS-2026-000002|assigned|办公室
	LYS-2026-000003|assigned|办公室
	LYS-2026-000004|assigned|李文华
	LYS-2026-000005|assigned|王建国
	LYS-2026-000006|assigned|王建国
	LYS-2026-000007|assigned|法律工作部
	LYS-2026-000008|assigned|法律工作部
	EOT
	test_cmp expect got
'

test_expect_success 'one routed event for the run: the rules'"'"' hash and a digest of the steps it wrote' '
	test "$(q "SELECT count(*) FROM events WHERE kind = '"'"'routed'"'"'")" = 1 &&
	q "SELECT petition_id IS NULL, json_extract(data, '"'"'$.cases'"'"'), json_extract(data, '"'"'$.steps'"'"'),
	          json_extract(data, '"'"'$.on'"'"'), length(json_extract(data, '"'"'$.bulk.steps.sha256'"'"')),
	          json_extract(data, '"'"'$.rules_sha256'"'"') = (SELECT sha256 FROM rules ORDER BY id DESC LIMIT 1),
	          operator, program FROM events WHERE kind = '"'"'routed'"'"'" >got &&
	echo "1|10|19|2026-11-28|64|1|tester|petition-route" >expect &&
	test_cmp expect got &&
	test "$(q "SELECT count(DISTINCT event_id) FROM steps")" = 1 &&
	test "$(q "SELECT count(*) FROM steps WHERE event_id = (SELECT id FROM events WHERE kind = '"'"'routed'"'"')")" = 19
'

# Received Fri 11-20: day 15 is Sat 12-05, so the limit is Mon 12-07.
test_expect_success 'routing inside the office does not meet the 15-day limit (Art. 23): still open, due Mon 12-07' '
	petition schedule explain LYS-2026-000007 --format tsv | grep "^route" | cut -f6,8 >got &&
	printf "2026-12-07\topen\n" >expect &&
	test_cmp expect got
'

test_expect_success 'routing again finds nothing to do and writes nothing' '
	db_dump >before &&
	petition route --format csv >out 2>err &&
	test "$(wc -l <out)" = 1 &&
	grep -q "0 cases routed" err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success '--dry-run routes and prints, and writes nothing' '
	intake --channel 来电 --category 咨询 &&
	db_dump >before &&
	petition route --dry-run --format csv >out 2>err &&
	grep -q "^LYS-2026-000009,1,法律工作部,handle,default" out &&
	grep -q "dry run" err &&
	db_dump >after &&
	test_cmp before after &&
	petition route -q >/dev/null
'

test_expect_success '--explain: every rule tried, why not, the steps; writes nothing' '
	db_dump >before &&
	petition route --explain LYS-2026-000003 --format tsv >got &&
	cat >expect <<-\EOT &&
	rule	result	detail
	named_letter	no	no leader is named
	unnamed_letter_to_leader	no	no leader is in charge of 咨询
	unnamed_letter	matched	未点名的来信（无分管领导）：办公室专人拆阅，交信访部门办理
	transferred	not tried	an earlier rule matched
	transferred_principal	not tried	an earlier rule matched
	collective_visit	not tried	an earlier rule matched
	default	not tried	an earlier rule matched
	unnamed_letter	step 1	办公室 open (拆阅), as letter_office
	unnamed_letter	step 2	法律工作部 handle (办理), as petition_department
	EOT
	test_cmp expect got &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success '--explain names every condition that fails' '
	petition route --explain LYS-2026-000007 --format tsv >out &&
	grep -q "^named_letter	no	channel is visit, not letter; no leader is named$" out &&
	grep -q "^transferred	no	not transferred from above$" out &&
	grep -q "^collective_visit	no	not a collective visit$" out &&
	grep -q "^default	matched	" out &&
	grep -q "^default	step 1	法律工作部 handle (办理), as petition_department$" out
'

test_expect_success 'a manual step comes first; the pending steps follow it, renumbered' '
	petition route LYS-2026-000007 --to 刘志强 --action supervise --note "分管领导督办" --format csv >out &&
	grep -q "^LYS-2026-000007,1,刘志强,supervise,manual" out &&
	q "SELECT seq, holder, action, state, coalesce(rule, '"'"'manual'"'"') FROM steps
	   WHERE petition_id = (SELECT id FROM petitions WHERE case_no = '"'"'LYS-2026-000007'"'"') ORDER BY seq" >got &&
	printf "%s\n" "1|刘志强|supervise|pending|manual" "2|法律工作部|handle|pending|default" >expect &&
	test_cmp expect got &&
	test "$(q "SELECT holder FROM petitions WHERE case_no = '"'"'LYS-2026-000007'"'"'")" = 刘志强 &&
	q "SELECT json_extract(data, '"'"'$.manual'"'"'), json_extract(data, '"'"'$.note'"'"'), json_extract(data, '"'"'$.from'"'"'),
	          json_extract(data, '"'"'$.to'"'"') FROM events WHERE kind = '"'"'routed'"'"' AND petition_id IS NOT NULL" >got &&
	echo "1|分管领导督办|assigned|assigned" >expect &&
	test_cmp expect got
'

test_expect_success 'a manual step of the same action takes the pending one over, in its place' '
	petition route LYS-2026-000007 --to 办公室 --action handle --note 改由办公室办理 --format csv >out &&
	q "SELECT seq, holder, action, state FROM steps
	   WHERE petition_id = (SELECT id FROM petitions WHERE case_no = '"'"'LYS-2026-000007'"'"') ORDER BY seq" >got &&
	printf "%s\n" "1|刘志强|supervise|pending" "2|法律工作部|handle|cancelled" "3|办公室|handle|pending" >expect &&
	test_cmp expect got
'

test_expect_success 'an instruction is a leader'"'"'s: a department is refused (65)' '
	db_dump >before &&
	test_expect_code 65 petition route LYS-2026-000007 --to 办公室 --action instruct --note x 2>err &&
	grep -q "办公室 is a department; an instruction (阅批) is a leader" err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'manual steps: usage errors (64) and people not in the rules (65), nothing written' '
	db_dump >before &&
	test_expect_code 64 petition route LYS-2026-000007 --to 刘志强 --action supervise 2>err &&
	grep -q "needs CASE --to WHO --action ACTION --note TEXT" err &&
	test_expect_code 64 petition route LYS-2026-000007 --to 刘志强 --action read --note x 2>err &&
	grep -q "is not open, instruct, handle or supervise" err &&
	test_expect_code 65 petition route LYS-2026-000007 --to 刘志刚 --action handle --note x 2>err &&
	grep -q "'"'"'刘志刚'"'"' is not a leader or department in the rules" err &&
	test_expect_code 64 petition route LYS-2026-000007 LYS-2026-000008 2>err &&
	test_expect_code 64 petition route --note x 2>err &&
	test_expect_code 64 petition route --explain LYS-2026-000007 --dry-run 2>err &&
	test_expect_code 65 petition route LYS-2026-000007 --to 刘志强 --action handle --note "$(printf "a\tb")" 2>err &&
	grep -q "^petition-route: --note: contains a control character$" err &&
	test_expect_code 65 petition route transfer LYS-2026-000007 --body "$(printf "某局\033")" 2>err &&
	grep -q "^petition-route: --body: contains a control character$" err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 're-routing one case by other rules: pending steps cancelled, done steps and deadlines kept' '
	petition rules show >alt.yaml &&
	sed -i "/^routing:/,\$d" alt.yaml &&
	printf "%s\n" "routing:" "  - { name: all_to_office, to: 办公室, action: handle }" >>alt.yaml &&
	petition route LYS-2026-000008 --rules alt.yaml --format csv >out &&
	grep -q "^LYS-2026-000008,2,办公室,handle,all_to_office" out &&
	q "SELECT seq, holder, state FROM steps
	   WHERE petition_id = (SELECT id FROM petitions WHERE case_no = '"'"'LYS-2026-000008'"'"') ORDER BY seq" >got &&
	printf "%s\n" "1|法律工作部|cancelled" "2|办公室|pending" >expect &&
	test_cmp expect got &&
	test "$(q "SELECT count(*) FROM rules WHERE kind = '"'"'override'"'"'")" = 1 &&
	petition schedule explain LYS-2026-000008 --format tsv | grep "^route" | cut -f4,8 >got &&
	printf "2026-11-20\topen\n" >expect &&
	test_cmp expect got
'

test_expect_success 'transfer --unit hands a case down to a lower unit (交办), in the handle step'"'"'s place' '
	petition route transfer LYS-2026-000006 --unit 兰山区总工会 --note 属地办理 --format csv >out &&
	grep -q "^LYS-2026-000006,3,兰山区总工会,handle,manual" out &&
	q "SELECT seq, holder, action, state FROM steps
	   WHERE petition_id = (SELECT id FROM petitions WHERE case_no = '"'"'LYS-2026-000006'"'"') ORDER BY seq" >got &&
	printf "%s\n" "1|王建国|supervise|pending" "2|法律工作部|handle|cancelled" "3|兰山区总工会|handle|pending" >expect &&
	test_cmp expect got &&
	q "SELECT state, holder FROM petitions WHERE case_no = '"'"'LYS-2026-000006'"'"'" >got &&
	echo "assigned|王建国" >expect &&
	test_cmp expect got &&
	q "SELECT json_extract(data, '"'"'$.mode'"'"'), json_extract(data, '"'"'$.unit'"'"') FROM events WHERE kind = '"'"'transferred'"'"'" >got &&
	echo "交办|LSQ" >expect &&
	test_cmp expect got
'

test_expect_success 'transfer --body sends a case out (转送): transferred_out, nothing pending' '
	petition route transfer LYS-2026-000009 --body 临沂市劳动保障监察支队 --format csv >out &&
	grep -q "^LYS-2026-000009,2,临沂市劳动保障监察支队,handle,manual" out &&
	q "SELECT state, holder IS NULL FROM petitions WHERE case_no = '"'"'LYS-2026-000009'"'"'" >got &&
	echo "transferred_out|1" >expect &&
	test_cmp expect got &&
	q "SELECT seq, state, done_on FROM steps WHERE petition_id = 11 ORDER BY seq" >got &&
	printf "%s\n" "1|cancelled|" "2|done|2026-11-28" >expect &&
	test_cmp expect got
'

test_expect_success 'transfer refusals: not a lower unit, not a unit, not both, a state that does not allow it' '
	db_dump >before &&
	test_expect_code 65 petition route transfer LSQ-2026-000001 --unit LYS 2>err &&
	grep -q "LYS (临沂市总工会) is not below LSQ, which received case LSQ-2026-000001" err &&
	test_expect_code 65 petition route transfer LYS-2026-000001 --unit 火星 2>err &&
	test_expect_code 64 petition route transfer LYS-2026-000001 --unit LSQ --body x 2>err &&
	test_expect_code 64 petition route transfer LYS-2026-000001 2>err &&
	test_expect_code 64 petition route transfer 2>err &&
	test_expect_code 64 petition route LYS-2026-000001 --unit LSQ 2>err &&
	test_expect_code 65 petition route transfer LYS-2026-000009 --body 又一处 2>err &&
	grep -q "case LYS-2026-000009 is transferred_out: transfer is allowed only when it is registered, assigned or accepted; what a transferred_out case allows: reopen" err &&
	test_expect_code 65 petition route LYS-2026-000009 2>err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'a case no rule matches stays registered: exit 1, named on stderr' '
	intake --channel 来电 --category 咨询 --persons 2 &&
	petition rules show >few.yaml &&
	sed -i "/^routing:/,\$d" few.yaml &&
	printf "%s\n" "routing:" "  - { name: visits, when: { channel: visit }, to: petition_department, action: handle }" >>few.yaml &&
	test_expect_code 1 petition route --rules few.yaml --format csv >out 2>err &&
	grep -q "no routing rule matches case LYS-2026-000010; it stays registered" err &&
	test "$(q "SELECT state FROM petitions WHERE case_no = '"'"'LYS-2026-000010'"'"'")" = registered &&
	test_expect_code 65 petition route LYS-2026-000010 --rules few.yaml 2>err &&
	grep -q "no routing rule matches case LYS-2026-000010 (petition route --explain LYS-2026-000010)" err &&
	petition route --explain LYS-2026-000010 --rules few.yaml --format tsv >out &&
	grep -q "^	no rule	" out
'

test_expect_success 'a registered case that has steps (sent away, then reopened) is routed after them' '
	intake --channel 来电 --category 咨询 --persons 4 >/dev/null &&
	petition route transfer LYS-2026-000011 --body 某局 --format csv >/dev/null &&
	petition case reopen LYS-2026-000011 --reason 某局退回 --format csv >/dev/null &&
	test "$(q "SELECT state FROM petitions WHERE case_no = '"'"'LYS-2026-000011'"'"'")" = registered &&
	petition route --format csv | tr -d "\r" >out &&
	grep -q "^LYS-2026-000011,2,法律工作部,handle,default$" out &&
	q "SELECT seq, holder, state FROM steps WHERE petition_id = (SELECT id FROM petitions WHERE case_no = '"'"'LYS-2026-000011'"'"') ORDER BY seq" >got &&
	printf "%s\n" "1|某局|done" "2|法律工作部|pending" >expect &&
	test_cmp expect got
'

test_expect_success 'rules without a routing section route by the default'"'"'s (petition-rules(5))' '
	petition rules show >norouting.yaml &&
	sed -i "/^routing:/,\$d" norouting.yaml &&
	intake --channel 来电 --category 咨询 --persons 7 >/dev/null &&
	petition route --rules norouting.yaml --format csv >out 2>err &&
	grep -q ",法律工作部,handle,default" out
'

test_expect_success 'intake and routing runs under new --rules: rows point to their own event, not to the rules'"'"' one' '
	sed "s/^office: LYS/office: LYS  # 试行/" alt.yaml >alt2.yaml &&
	intake --channel 来电 --category 咨询 --persons 5 --rules alt2.yaml >/dev/null &&
	q "SELECT e.kind FROM petitions p JOIN events e ON e.id = p.event_id WHERE p.id = (SELECT max(id) FROM petitions)" >got &&
	echo intake >expect &&
	test_cmp expect got &&
	sed "s/^office: LYS/office: LYS  # 试行二/" alt.yaml >alt3.yaml &&
	petition route --rules alt3.yaml --format csv >/dev/null &&
	q "SELECT e.kind, count(*) FROM steps s JOIN events e ON e.id = s.event_id
	   WHERE s.petition_id = (SELECT max(id) FROM petitions) GROUP BY 1" >got &&
	echo "routed|1" >expect &&
	test_cmp expect got &&
	petition schedule explain "$(q "SELECT case_no FROM petitions ORDER BY id DESC LIMIT 1")" --format tsv |
		grep "^route" | cut -f8 >got &&
	echo "open" >expect &&
	test_cmp expect got
'

test_expect_success 'a leader'"'"'s instruction recorded before routing is not asked for again' '
	intake --channel 来信 --category 社会保险 --addressed-to 张海燕 --persons 2 >/dev/null &&
	c=$(q "SELECT case_no FROM petitions ORDER BY id DESC LIMIT 1") &&
	petition case instruct $c --by 张海燕 --text 先阅 --format csv >/dev/null &&
	petition route --format csv | tr -d "\r" >out &&
	grep -q "^$c,1,法律工作部,handle,named_letter$" out &&
	! grep -q "^$c,.*instruct" out &&
	petition route $c --format csv | tr -d "\r" >out &&
	grep -q "^$c,2,法律工作部,handle,named_letter$" out &&
	! grep -q instruct out
'

test_expect_success 'an unnamed letter instructed by any leader before routing gets no instruct step' '
	intake --channel 来信 --category 欠薪 --persons 3 >/dev/null &&
	c=$(q "SELECT case_no FROM petitions ORDER BY id DESC LIMIT 1") &&
	petition case instruct $c --by 李文华 --text 先阅 --format csv >/dev/null &&
	petition route --format csv | tr -d "\r" | grep "^$c," | cut -d, -f3,4 >got &&
	printf "%s\n" "办公室,open" "法律工作部,handle" >expect &&
	test_cmp expect got
'

test_expect_success 'a case that does not exist: 66; a missing database: 66' '
	test_expect_code 66 petition route LYS-2099-000001 2>err &&
	grep -q "no case '"'"'LYS-2099-000001'"'"'" err &&
	test_expect_code 66 petition route --explain 999 2>err &&
	test_expect_code 66 petition route --db nothere.db 2>err
'

test_expect_success 'a locked database: 75, nothing written' '
	intake --channel 来电 --category 咨询 --persons 3 &&
	db_dump >before &&
	hold_write_lock petition.db 3 &
	sleep 1 &&
	PETITION_BUSY_TIMEOUT=200 test_expect_code 75 petition route 2>err &&
	wait &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'output that cannot be written: 74' '
	test_expect_code 74 petition route --explain LYS-2026-000001 --format csv >/dev/full 2>err
'

cp petition.db ro.db
test_readonly_db ro.db "routing a database that cannot be written" "petition route --db ro.db --format csv"

test_done
