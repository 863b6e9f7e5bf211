#!/bin/sh
# An office's rules cannot switch the law off (issue 9, item 12; petition-rules(5), "The law
# and the default"): every rules text of the man pages, taken from their source, is checked,
# loaded and followed through a case until it is overdue; the statutory deadlines are in
# force whatever a file says, and a section a file leaves out is the default's, said so.
. "$(dirname "$0")/lib.sh"

MAN=$TEST_SRC/../man

# example NAME: the rules text marked '.\" rules example: NAME' in petition-rules(5), as the
# reader sees it (mdoc's escapes undone as t9000 does).
example() {
	awk -v name="$1" '
		$0 ~ "^\\.\\\\\" rules example: " name " " { on = 1; next }
		on && /^\.\\"/ { next }
		on && /^\.Bd/ { next }
		on && /^\.Ed/ { exit }
		on' "$MAN/petition-rules.5" | sed -e 's/^\\&//' -e 's/\\e/\\/g'
}

# The examples, each with the day its handling deadline falls due for a case accepted on
# Wed 2026-09-02, worked by hand (the start day not counted; a calendar-day limit ending on
# a rest day moves to the next working day):
# The route deadline is met by the written notice (accept --notified-on), not by routing.
#   county, default: 60 days, the law's: day 28 is 09-30, day 59 10-31, day 60 Sun 11-01,
#     a rest day: due Mon 11-02, overdue from Tue 11-03.
#   district: 30 days, its own shorter limit: day 28 is 09-30, day 30 Fri 10-02, in 国庆节
#     (10-01..07): due Thu 10-08, overdue from Fri 10-09.
examples='county:2026-11-02:2026-11-03 district:2026-10-08:2026-10-09 default:2026-11-02:2026-11-03'

test_expect_success 'every rules text of the man pages is marked as an example, and each is found' '
	for page in "$MAN"/*.[1-9]; do
		awk -v page="${page##*/}" '"'"'
			/^\.\\" rules example: / { marked = 1; next }
			/^\.\\"/ { next }
			/^\.Bd/ { bd = NR; bdmarked = marked; marked = 0; next }
			NR == bd + 1 && (/^version: 1$/ || /^# petition rules:/) && !bdmarked {
				print page ": the rules text at line " NR " is not marked as a rules example"; bad = 1 }
			{ marked = 0 }
			END { exit bad }'"'"' "$page" || exit 1
	done &&
	test "$(grep -c "^\.\\\\\" rules example: " "$MAN/petition-rules.5")" = 3 &&
	for e in $examples; do
		name=${e%%:*} &&
		example $name >$name.yaml &&
		head -1 $name.yaml | grep -q "^version: 1$\|^# petition rules" || exit 1
	done &&
	test_cmp "$TEST_SRC/../examples/rules.yaml" default.yaml
'

for e in $examples; do
	name=${e%%:*}
	due=${e#*:}
	overdue=${due#*:}
	due=${due%:*}
	test_expect_success "the $name example: check and load say what the default supplies" '
		petition rules check $name.yaml 2>err &&
		grep -q "^petition-rules: $name.yaml: ok" err &&
		petition init -q --db $name.db &&
		petition rules load --db $name.db $name.yaml 2>err &&
		grep -q "^petition-rules: $name.yaml: \(rules loaded\|these rules are already in force\)" err &&
		test "$(sqlite3 $name.db "SELECT text FROM rules ORDER BY id DESC LIMIT 1")" = "$(cat $name.yaml)"
	'
	test_expect_success "the $name example: a case is routed, gets its deadlines, and is overdue from $overdue" '
		c=$(PETITION_TODAY=2026-09-01 petition intake --db $name.db --received-on 2026-09-01 --channel 来访 \
			--petitioner 甲 --category 其他 --summary 事项) &&
		PETITION_TODAY=2026-09-01 petition route --db $name.db --format csv >out &&
		grep -q "^$c,1," out &&
		PETITION_TODAY=2026-09-02 petition case accept $c --db $name.db --note 受理 --notified-on 2026-09-02 \
			--format csv >/dev/null &&
		petition schedule explain $c --db $name.db --format tsv >out &&
		grep -q "^route	.*	met (notified 2026-09-02)	" out &&
		test "$(grep "^handle	" out | cut -f6)" = $due &&
		! grep -q provisional out &&
		PETITION_TODAY=$due petition schedule due --db $name.db --overdue --format csv >out &&
		! grep -q "^$c," out &&
		PETITION_TODAY=$overdue test_expect_code 1 petition schedule due --db $name.db --overdue --format csv >out &&
		grep -q "^$c,.*,handle," out
	'
done

test_expect_success 'the county example: every section it leaves out is noted, none of its own' '
	petition rules check county.yaml 2>err &&
	grep "note:" err | sed "s/: not in the file.*//; s/.*note: //" >got &&
	printf "%s\n" intake calendar deadlines reception routing interview >expect &&
	test_cmp expect got &&
	petition rules check -q county.yaml 2>err &&
	test ! -s err
'

test_expect_success 'the district example: its receipt limit and the law'"'"'s, not the default'"'"'s own limits' '
	c=$(sqlite3 district.db "SELECT case_no FROM petitions") &&
	petition schedule explain $c --db district.db --format tsv | cut -f1 >got &&
	printf "%s\n" deadline handle receipt route review_request review rereview_request rereview >expect &&
	test_cmp expect got &&
	petition schedule explain $c --db district.db --format tsv | grep "^handle	" | cut -f5 >got &&
	echo "30 calendar days" >expect &&
	test_cmp expect got &&
	petition rules check district.yaml 2>err &&
	grep -q "note: deadlines: the file does not list the statutory route, objection, review_request, review, rereview_request, rereview;" err
'

test_expect_success 'rules show lists what the default supplies as comments, and the output is the same rules' '
	petition rules show --db county.db >shown.yaml &&
	head -n "$(wc -l <county.yaml)" shown.yaml >text &&
	test_cmp county.yaml text &&
	grep -q "^#   routing: not in the file; the embedded default" shown.yaml &&
	test "$(grep -c "^#   " shown.yaml)" = 6 &&
	petition rules check shown.yaml 2>err &&
	test "$(grep -c note: err)" = 6 &&
	petition rules show --db default.db >shown.yaml &&
	test_cmp default.yaml shown.yaml
'

# A file of an office of its own, to which each test adds deadlines or routing.
cat >base.yaml <<\EOT
version: 1
office: A
units: [{ code: A, name: 甲县总工会, level: county }]
departments: [{ name: 信访科, petition: true, opens_letters: true }]
categories: [其他]
deadlines:
EOT

# refused LINE EXPECTED-PLACE-AND-MESSAGE: base.yaml with LINE as its one deadline is refused
# by check (exit 1) with that first problem, and by load (78) with nothing written.
refused() {
	cp base.yaml bad.yaml &&
	echo "$1" >>bad.yaml &&
	test_expect_code 1 petition rules check bad.yaml 2>err &&
	head -1 err >got &&
	echo "petition-rules: bad.yaml:$2" >expect &&
	test_cmp expect got &&
	db_dump county.db >before &&
	test_expect_code 78 petition rules load --db county.db bad.yaml 2>/dev/null &&
	db_dump county.db >after &&
	test_cmp before after
}

test_expect_success 'a statutory deadline lengthened: refused at the key' '
	refused "  - { name: handle, days: 61 }" \
		"7:27: deadline '"'"'handle'"'"' is a limit of the law: 61 days is longer than the law'"'"'s 60; an office may shorten a statutory limit, never lengthen it" &&
	refused "  - { name: handle, extension: 31 }" \
		"7:32: deadline '"'"'handle'"'"' is a limit of the law: an extension of 31 days is longer than the law'"'"'s 30"
'

test_expect_success 'a statutory deadline counted otherwise, from elsewhere, for other cases: refused' '
	refused "  - { name: route, unit: working }" \
		"7:26: deadline '"'"'route'"'"' is a limit of the law: the law counts calendar days, not working days" &&
	refused "  - { name: handle, from: received }" \
		"7:27: deadline '"'"'handle'"'"' is a limit of the law: it counts from accepted, not from received" &&
	refused "  - { name: route, when: letter }" \
		"7:26: deadline '"'"'route'"'"' is a limit of the law: it applies to every case, not to letter cases"
'

test_expect_success 'a statutory deadline met by fewer or other events: refused' '
	refused "  - { name: route, done_by: [transferred] }" \
		"7:29: deadline '"'"'route'"'"' is a limit of the law: done_by leaves out notified, which the law counts as meeting it" &&
	refused "  - { name: handle, done_by: [resolved, closed] }" \
		"7:30: deadline '"'"'handle'"'"' is a limit of the law: done_by adds closed, which does not meet it in law"
'

test_expect_success 'the petitioner'"'"'s window cannot be changed, nor made the office'"'"'s' '
	refused "  - { name: review_request, days: 20 }" \
		"7:35: deadline '"'"'review_request'"'"' is a limit of the law: the petitioner has 30 days, which an office may not change (here 20)" &&
	refused "  - { name: review_request, days: 40 }" \
		"7:35: deadline '"'"'review_request'"'"' is a limit of the law: the petitioner has 30 days, which an office may not change (here 40)" &&
	refused "  - { name: review, window: true }" \
		"7:29: deadline '"'"'review'"'"' is a limit of the law: it is the office'"'"'s time limit, not the petitioner'"'"'s (window: false)"
'

test_expect_success 'statutory: false on the law'"'"'s, or true on an office'"'"'s own: refused' '
	refused "  - { name: handle, statutory: false }" \
		"7:32: deadline '"'"'handle'"'"' is a limit of the law: an office'"'"'s rules cannot make it otherwise" &&
	refused "  - { name: mine, days: 3, from: received, statutory: true }" \
		"7:55: deadline '"'"'mine'"'"' is not a limit of the law; the statutory ones are those of the embedded default (route, objection, handle, review_request, review, rereview_request, rereview); leave '"'"'statutory'"'"' out of the office'"'"'s own"
'

test_expect_success 'a statutory deadline shortened, and one of the office'"'"'s own: good; the others added' '
	cp base.yaml short.yaml &&
	printf "%s\n" "  - { name: handle, days: 20, extension: 10 }" \
		"  - { name: mine, days: 3, unit: working, from: received, done_by: [routed] }" >>short.yaml &&
	petition rules check short.yaml 2>err &&
	grep -q "note: deadlines: the file does not list the statutory route, objection, review_request, review, rereview_request, rereview;" err &&
	petition init -q --db short.db &&
	petition rules load -q --db short.db short.yaml &&
	c=$(petition intake --db short.db --received-on 2026-11-02 --channel 来电 --petitioner 乙 --category 其他 --summary 事) &&
	petition case accept $c --db short.db --on 2026-11-02 --note 受理 --format csv >/dev/null &&
	petition schedule explain $c --db short.db --format tsv | cut -f1,5,6 >got &&
	grep -q "^handle	20 calendar days	2026-11-23$" got &&
	grep -q "^mine	3 working days	2026-11-05$" got &&
	grep -q "^review_request	30 calendar days	$" got &&
	! grep -q "^instruct\|^quarterly_report" got
'

test_expect_success 'a file that lists a statutory deadline only to mark it: the law'"'"'s as it is' '
	cp base.yaml marked.yaml &&
	echo "  - { name: handle, statutory: true }" >>marked.yaml &&
	petition rules check marked.yaml 2>err &&
	grep -q "note: deadlines: the file does not list the statutory route, objection, review_request, review, rereview_request, rereview;" err
'

test_expect_success 'no routing and no department that opens letters: refused, saying what to do' '
	sed "s/, opens_letters: true//; /^deadlines:/d" base.yaml >noopen.yaml &&
	test_expect_code 1 petition rules check noopen.yaml 2>err &&
	grep -q "^petition-rules: noopen.yaml:4:14: the file has no '"'"'routing'"'"', so the embedded default'"'"'s is in force, and it sends unnamed letters to letter_office, but no department has '"'"'opens_letters: true'"'"'" err &&
	grep -q "noopen.yaml: 1 problem" err &&
	cp noopen.yaml ownrouting.yaml &&
	printf "%s\n" "routing:" "  - { name: all, to: petition_department, action: handle }" >>ownrouting.yaml &&
	petition rules check ownrouting.yaml 2>err &&
	! grep -q "note: routing" err
'

test_expect_success 'an empty routing list: refused' '
	sed "/^deadlines:/d" base.yaml >empty.yaml &&
	echo "routing: []" >>empty.yaml &&
	test_expect_code 1 petition rules check empty.yaml 2>err &&
	grep -q "^petition-rules: empty.yaml:6:10: '"'"'routing'"'"' is an empty list, which routes no case" err
'

test_expect_success 'a calendar of one year: the default'"'"'s other years are in force, noted' '
	sed "/^deadlines:/d" base.yaml >cal.yaml &&
	printf "%s\n" "calendar:" "  - { year: 2027, holidays: [{ name: 元旦, from: 2027-01-01 }] }" >>cal.yaml &&
	petition rules check cal.yaml 2>err &&
	grep -q "note: calendar: the file does not give every year; the embedded default'"'"'s years 2025, 2026 are in force" err &&
	petition schedule calendar --rules cal.yaml --db short.db --month 2026-10 --count >out 2>&1 &&
	! grep -q provisional out
'

# Rules loaded under an earlier law are put in the database by hand here, as an earlier
# version would have loaded them: its log does not explain that row.
replay_skip=older.db

test_expect_success 'rules in force that a newer law contradicts are read, the law prevailing, and say so' '
	sed "s/done_by: \[transferred, notified\]/done_by: [routed, transferred, notified]/" default.yaml >older.yaml &&
	! cmp -s default.yaml older.yaml &&
	line=$(grep -n "done_by: \[routed, transferred, notified\]" older.yaml | cut -d: -f1) &&
	test_expect_code 1 petition rules check older.yaml 2>err &&
	grep -q "older.yaml:$line:[0-9]*: deadline '"'"'route'"'"' is a limit of the law: done_by adds routed" err &&
	petition init -q --db older.db &&
	sqlite3 older.db "INSERT INTO rules (loaded_at, source, sha256, text, kind)
		VALUES ('"'"'2026-01-01T00:00:00Z'"'"', '"'"'older.yaml'"'"', '"'"'-'"'"', readfile('"'"'older.yaml'"'"'), '"'"'load'"'"')" &&
	petition rules show --db older.db >shown &&
	grep -q "^#   deadline '"'"'route'"'"' (line $line) contradicts the law, so the law'"'"'s is in force: done_by adds routed, which does not meet it in law; correct the rules and load them again$" shown &&
	c=$(petition intake --db older.db --received-on 2026-11-02 --channel 来电 --petitioner 丙 --category 咨询 --summary 事) &&
	petition route --db older.db --format csv >/dev/null &&
	petition schedule explain $c --db older.db --format tsv | grep "^route	" | cut -f8 >got &&
	! grep -q "^met" got
'

test_done
