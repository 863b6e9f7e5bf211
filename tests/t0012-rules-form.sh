#!/bin/sh
# The rules in force load from a serialized form (lib/rules.c) instead of parsing their YAML:
# the embedded default's, compiled in, when their text is the default's and the rules
# table's hash is the form's; an office's own from the user's cache, which the first command
# to read them writes (petition(1), FILES). Any form that does not match is never
# trusted: the text is parsed. Either way a command gives the same results: here a database
# on the default's form, the same with the hash in its rules table changed (the form is
# found by the hash of the text itself), one whose rules
# are the default's text with a comment more (parsed, then cached; the cache damaged, of
# another build, of other rules, unwritable), against each other and against deadlines
# worked by hand. The form itself (damaged, cut, of another text) is tests/unit/rules_form.c.
. "$(dirname "$0")/lib.sh"

# stale.db has its rules row's hash changed behind the toolkit's back, on purpose, and
# edited.db its rules text.
replay_skip="stale.db edited.db"

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

test_expect_success 'the rules table'"'"'s hash changed: the form is found by the text'"'"'s own, the same results' '
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

# form SHA: the cache file of the rules text with that hash
form() {
	echo "$XDG_CACHE_HOME/petition/rules-$1.form"
}

test_expect_success 'the first command wrote their form to the cache: 0600, in a directory of 0700' '
	sha=$(sha256sum <ours.yaml | cut -c1-64) &&
	test "$(stat -c %a "$(form "$sha")")" = 600 &&
	test "$(stat -c %a "$XDG_CACHE_HOME/petition")" = 700 &&
	cp "$(form "$sha")" good.form &&
	run cached &&
	test_cmp form.out cached.out &&
	cmp good.form "$(form "$sha")"
'

# flip FILE OFFSET: change the byte at OFFSET (0-based) of FILE to something else.
flip() {
	printf "\377" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

test_expect_success 'the cache damaged (a payload byte, a byte of the build): parsed, the same results, written again' '
	sha=$(sha256sum <ours.yaml | cut -c1-64) &&
	flip "$(form "$sha")" 500 &&
	! cmp -s good.form "$(form "$sha")" &&
	run damaged &&
	test_cmp form.out damaged.out &&
	cmp good.form "$(form "$sha")" &&
	flip "$(form "$sha")" 20 &&
	run other-build &&
	test_cmp form.out other-build.out &&
	cmp good.form "$(form "$sha")"
'

# By hand: instruct in 3 working days from Wed 2026-09-16: Thu 09-17, Fri 09-18 and Sun
# 09-20, a make-up working day (for 中秋节): due 2026-09-20, where the default's 5 give 09-22.
test_expect_success 'the cache is read: the form of other rules (instruct in 3 days) put under this text'"'"'s name is what a command uses' '
	sed "/name: instruct/,/days:/s/days: 5/days: 3/" ours.yaml >three.yaml &&
	petition rules load -q three.yaml &&
	petition schedule explain "$(cat letter)" --format csv >three.out &&
	grep -q "^instruct,.*,2026-09-16,3 working days,2026-09-20," three.out &&
	three=$(sha256sum <three.yaml | cut -c1-64) && sha=$(sha256sum <ours.yaml | cut -c1-64) &&
	petition rules load -q ours.yaml &&
	cp "$(form "$three")" "$(form "$sha")" &&
	printf %s "$sha" | dd of="$(form "$sha")" bs=1 seek=48 conv=notrunc 2>/dev/null &&
	petition schedule explain "$(cat letter)" --format csv >forged.out &&
	grep -q "^instruct,.*,2026-09-20," forged.out &&
	rm "$(form "$sha")" &&
	petition schedule explain "$(cat letter)" --format csv >again.out &&
	grep -q "^instruct,.*,2026-09-16,5 working days,2026-09-22," again.out &&
	cmp good.form "$(form "$sha")"
'

test_expect_success 'a form of another text under its name, or no cache to write to: parsed, the same results' '
	sha=$(sha256sum <ours.yaml | cut -c1-64) &&
	cp "$(form "$(sha256sum <three.yaml | cut -c1-64)")" "$(form "$sha")" &&
	run another &&
	test_cmp form.out another.out &&
	cmp good.form "$(form "$sha")" &&
	: >not-a-dir &&
	XDG_CACHE_HOME=$PWD/not-a-dir/cache run nowhere &&
	test_cmp form.out nowhere.out
'

# By hand, as above: instruct in 3 working days from Wed 2026-09-16 is due Sun 2026-09-20
# (a make-up working day), in 5 it is Tue 2026-09-22.
test_expect_success 'the rules text edited by sqlite3, its hash column kept: the edited text rules, not the form cached of the old one' '
	petition rules load -q ours.yaml &&
	sha=$(sha256sum <ours.yaml | cut -c1-64) &&
	petition schedule explain "$(cat letter)" --format csv >before.out &&
	test -f "$(form "$sha")" &&
	grep -q "^instruct,.*,2026-09-16,5 working days,2026-09-22," before.out &&
	cp petition.db edited.db &&
	sqlite3 edited.db "UPDATE rules SET text = CAST(readfile('"'"'three.yaml'"'"') AS TEXT) WHERE id = (SELECT max(id) FROM rules WHERE kind = '"'"'load'"'"')" &&
	test "$(sqlite3 edited.db "SELECT sha256 FROM rules WHERE kind = '"'"'load'"'"' ORDER BY id DESC LIMIT 1")" = "$sha" &&
	PETITION_DB=edited.db petition schedule explain "$(cat letter)" --format csv >edited.out &&
	grep -q "^instruct,.*,2026-09-16,3 working days,2026-09-20," edited.out &&
	{ PETITION_DB=edited.db petition audit verify -q --format csv >found; test $? = 1; } &&
	grep -q "^rules," found
'

test_expect_success '--rules FILE with the default'"'"'s text: the same results' '
	petition rules load -q "$TEST_SRC/../examples/rules.yaml" &&
	PETITION_RULES="$TEST_SRC/../examples/rules.yaml" run file &&
	test_cmp form.out file.out
'

test_done
