#!/bin/sh
# The rules in force load from the embedded default's serialized form when their text is the
# default's and the rules table's hash is the form's (petition-rules(5), "Loading"); any
# other case parses the text. Either way a command gives the same results: here a database
# on the form, the same database with the hash in its rules table changed (a form that
# does not match is never trusted: parsed), and one whose rules are the default's text with
# a comment more (another text: parsed), against each other and against deadlines worked
# by hand. lib/rules.c's form itself (damaged, cut, of another text) is tests/unit/rules_form.c.
. "$(dirname "$0")/lib.sh"

# stale.db has its rules row's hash changed behind the toolkit's back, on purpose.
replay_skip=stale.db

# run NAME: what the commands that read the rules say about the cases of petition.db,
# into NAME.out (audit check exits 1 when it has findings: that is its answer).
run() {
	{
		petition case show "$(cat visit)" --format csv &&
		petition case show "$(cat letter)" --format csv &&
		petition schedule explain "$(cat visit)" --format csv &&
		petition schedule explain "$(cat letter)" --format csv &&
		petition route --explain "$(cat letter)" --format csv &&
		{ petition schedule due --format csv; test $? -le 1; } &&
		petition report quarter --period 2026Q4 --format csv &&
		{ petition audit check --format csv; test $? -le 1; }
	} >"$1.out"
}

test_expect_success 'setup: a visit of 2026-11-20 and a named letter of 2026-09-16, on the default rules' '
	petition init -q &&
	petition intake --received-on 2026-11-20 --channel 来访 --petitioner 甲 --category 欠薪 \
		--summary 来访 >visit &&
	petition intake --received-on 2026-09-16 --channel 来信 --petitioner 乙 --category 咨询 \
		--summary 署名信 --addressed-to 王建国 >letter &&
	test "$(sqlite3 petition.db "SELECT sha256 FROM rules")" = "$(sha256sum <"$TEST_SRC/../examples/rules.yaml" | cut -c1-64)"
'

# By hand (t3001's working): the visit's route deadline is 15 days from Fri 11-20, 12-05,
# a Saturday, so Mon 12-07; the letter's is 15 days from Wed 09-16, 10-01, in 国庆节
# (10-01..07), so Thu 10-08.
test_expect_success 'on the form: the route deadlines worked by hand' '
	run form &&
	grep -q "^route,.*,2026-11-20,15 calendar days,2026-12-07," form.out &&
	grep -q "^route,.*,2026-09-16,15 calendar days,2026-10-08," form.out
'

test_expect_success 'the rules table'"'"'s hash not the form'"'"'s: parsed, the same results' '
	cp petition.db stale.db &&
	sqlite3 stale.db "UPDATE rules SET sha256 = '"'"'0000000000000000000000000000000000000000000000000000000000000000'"'"'" &&
	PETITION_DB=stale.db run stale &&
	test_cmp form.out stale.out &&
	PETITION_DB=stale.db petition rules show >stale.rules &&
	petition rules show >form.rules &&
	test_cmp form.rules stale.rules
'

test_expect_success 'another text (a comment more): parsed, the same results' '
	{ cat "$TEST_SRC/../examples/rules.yaml" && echo "# our copy"; } >ours.yaml &&
	petition rules load -q ours.yaml &&
	run ours &&
	test_cmp form.out ours.out
'

test_expect_success '--rules FILE with the default'"'"'s text: the same results' '
	petition rules load -q "$TEST_SRC/../examples/rules.yaml" &&
	PETITION_RULES="$TEST_SRC/../examples/rules.yaml" run file &&
	test_cmp form.out file.out
'

test_done
