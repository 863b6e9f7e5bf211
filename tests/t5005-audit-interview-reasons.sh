#!/bin/sh
# petition audit interview: the rules of a unit's findings in its reasons, each once, even
# when one rule's name begins another's (LAW-deliver and LAW-deliver_review) and the longer
# comes first, as it does when an office's rules list deliver after deliver_review (the
# list named LAW-deliver_review and then took LAW-deliver for already there).
#
# Worked by hand (today 2026-11-28, period 2026Q3, the default rules with the deadline
# deliver moved after deliver_rereview; thresholds: reviews 2, findings 3):
#   LSQ-2026-000001 received Wed 07-01, accepted 07-02, resolved Fri 07-03; deliver is 5
#   working days: 07-06..07-10, due 07-10, delivered 07-20: late (LAW-deliver). Review asked
#   of LYS 07-21, reviewed Sat 07-25; deliver_review 5 working days: 07-27..07-31, due 07-31,
#   delivered 08-20: late (LAW-deliver_review). No holiday in July.
#   LSQ's findings: no reception day held in July, August, September (R2.1-reception-days,
#   3) and none planned (R3.2-reception-plan, 1); the two above, in the order of the rules'
#   deadlines (deliver_review, then deliver); its 2026Q3 report not received by LYS by
#   2026-10-20 (R3.3-lower-report, 1): 3+2+1+1 = 7 >= 3. Reviews 1 < 2; no other count.
#   The default rules give LSQ no leader, and 褚明 was neither dissatisfied, nor 越级,
#   nor a repeat: the list is the one unit row.
. "$(dirname "$0")/lib.sh"

test_expect_success 'setup: deliver after deliver_rereview, one case delivered late twice' '
	awk "/^  - name: deliver\$/ { hold = 1 } hold && /^  - name: review_request\$/ { hold = 0 }
	     hold { kept = kept \$0 \"\\n\"; next } { print }
	     /^  - name: deliver_rereview\$/ { after = 1 } after && /^    basis:/ { printf \"%s\", kept; after = 0 }" \
		"$TEST_SRC/../examples/rules.yaml" >office.yaml &&
	test "$(grep -n "^  - name: deliver" office.yaml | cut -d" " -f5 | tr "\n" " ")" = \
		"deliver_review deliver_rereview deliver " &&
	petition init -q &&
	petition rules load -q office.yaml &&
	petition intake -q --unit LSQ --channel 来访 --received-on 2026-07-01 --petitioner 褚明 \
		--category 工时休假 --summary 加班 >/dev/null &&
	c=LSQ-2026-000001 &&
	petition case accept -q $c --on 2026-07-02 >/dev/null &&
	petition case resolve -q $c --outcome 支持 --text 已处理 --on 2026-07-03 >/dev/null &&
	petition case deliver -q $c --how 邮寄 --on 2026-07-20 >/dev/null &&
	petition case request-review -q $c --unit LYS --text 不服 --on 2026-07-21 >/dev/null &&
	petition case review -q $c --outcome 维持 --text 维持 --on 2026-07-25 >/dev/null &&
	petition case deliver -q $c --how 邮寄 --on 2026-08-20 >/dev/null
'

test_expect_success 'audit check: both late deliveries, the longer name first' '
	test_expect_code 1 petition audit check --period 2026Q3 --unit LSQ --format tsv >check &&
	cut -f1 check | grep "^LAW-" >got &&
	printf "%s\n" LAW-deliver_review LAW-deliver >expect &&
	test_cmp expect got
'

test_expect_success 'audit interview: every rule named once in the reasons' '
	test_expect_code 1 petition audit interview --period 2026Q3 --unit LSQ --format tsv >out &&
	sed 1d out >got &&
	printf "1\tunit\tLSQ\t兰山区总工会\t0\t0\t1\t0\t0\t7\t\t%s\tLSQ-2026-000001\n" \
		"检查问题 7≥3（R2.1-reception-days LAW-deliver_review LAW-deliver R3.2-reception-plan R3.3-lower-report）" >expect &&
	test_cmp expect got
'

test_done
