#!/bin/sh
# petition-route over many cases: the cases a rule matches move to assigned by runs of ids
# (a case no rule matches, between them, stays as it was), each with the holder of its
# first new step, and none when every step of its rule was done already.
. "$(dirname "$0")/lib.sh"

q() { sqlite3 petition.db "$1"; }

# intake CHANNEL: register one petition received on 2026-11-20, its summary numbered so
# that no two are alike.
n=0
intake() {
	n=$((n + 1))
	petition intake -q --received-on 2026-11-20 --petitioner 某 --category 咨询 --summary "事项$n" \
		--channel "$1"
}

# The default rules with one routing rule only: a visit goes to the petition department
# (法律工作部 in the default rules) to handle; a letter or a call matches nothing.
test_expect_success 'setup: visits, with a letter and a call between them, under one rule' '
	petition init -q &&
	petition rules show >few.yaml &&
	sed -i "/^routing:/,\$d" few.yaml &&
	printf "%s\n" "routing:" "  - { name: visits, when: { channel: visit }, to: petition_department, action: handle }" >>few.yaml &&
	intake 来访 && intake 来信 && intake 来访 && intake 来访 && intake 来电 && intake 来访
'

# Case 6 was handled by the department already, then sent away (转送) and taken back
# (reopened: registered again), so its rule asks for nothing new: step 1 (法律工作部 handle,
# done) and step 2 (某局 handle, done when sent) are all it has.
test_expect_success 'setup: a visit whose step the rule asks for is done already' '
	petition route LYS-2026-000006 --to 法律工作部 --action handle --note 先办 --format csv >/dev/null &&
	petition case done LYS-2026-000006 --step 1 --format csv >/dev/null &&
	petition route transfer LYS-2026-000006 --body 某局 --note 转 --format csv >/dev/null &&
	petition case reopen LYS-2026-000006 --reason 某局退回 --format csv >/dev/null &&
	test "$(q "SELECT state FROM petitions WHERE id = 6")" = registered
'

# Routed: 1, 3, 4 (a new step 1 each, 法律工作部 handle) and 6 (nothing new: assigned with
# no holder); 2 (a letter) and 5 (a call) stay registered with no holder: exit 1.
test_expect_success 'the matched cases are assigned around the unmatched ones' '
	test_expect_code 1 petition route --rules few.yaml --format csv >out 2>err &&
	grep -c "no routing rule matches case" err >n &&
	echo 2 >want && test_cmp want n &&
	q "SELECT id, state, coalesce(holder, '"'"'-'"'"') FROM petitions ORDER BY id" >got &&
	cat >want <<-\EOF &&
	1|assigned|法律工作部
	2|registered|-
	3|assigned|法律工作部
	4|assigned|法律工作部
	5|registered|-
	6|assigned|-
	EOF
	test_cmp want got &&
	q "SELECT json_extract(data, '"'"'$.cases'"'"'), json_extract(data, '"'"'$.steps'"'"'),
		json_extract(data, '"'"'$.unmatched'"'"'), json_extract(data, '"'"'$.no_new_steps'"'"')
		FROM events WHERE kind = '"'"'routed'"'"' AND petition_id IS NULL" >got &&
	echo "4|3|2|[6]" >want &&
	test_cmp want got
'

# The holder is the first new step's, not an earlier one of the case: case 6 reopened again
# after a manual step of another holder, then routed with a rule of two steps.
test_expect_success 'the holder is that of the first step of this run' '
	petition route transfer LYS-2026-000006 --body 某局 --note 再转 --format csv >/dev/null &&
	petition case reopen LYS-2026-000006 --reason 又退回 --format csv >/dev/null &&
	petition rules show >two.yaml &&
	sed -i "/^routing:/,\$d" two.yaml &&
	printf "%s\n" "routing:" "  - { name: visits, when: { channel: visit }, to: principal, action: instruct, then: [ { to: petition_department, action: handle } ] }" >>two.yaml &&
	test_expect_code 1 petition route --rules two.yaml --format csv >out 2>err &&
	test "$(q "SELECT state || '"'"'|'"'"' || holder FROM petitions WHERE id = 6")" = "assigned|王建国"
'

test_done
