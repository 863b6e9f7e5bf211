#!/bin/sh
# petition-rules: check, load, show, history; every bad-rules fixture with its message.
. "$(dirname "$0")/lib.sh"

test_expect_success 'setup' '
	petition init -q &&
	cp "$TEST_SRC/../examples/rules.yaml" good.yaml
'

test_expect_success 'check of the default rules: ok, exit 0' '
	petition rules check good.yaml 2>err &&
	grep -q "good.yaml: ok" err
'

test_expect_success 'check warns from November when next year'"'"'s calendar is missing' '
	petition rules check good.yaml 2>err &&
	grep -q "warning: no calendar for 2027 yet" err &&
	PETITION_TODAY=2026-10-31 petition rules check good.yaml 2>err &&
	! grep -q warning err &&
	PETITION_TODAY=2024-05-01 petition rules check good.yaml 2>err &&
	grep -q "warning: no calendar for 2024, this year" err
'

for yaml in "$FIXTURES"/rules/*.yaml; do
	name=$(basename "$yaml" .yaml)
	test_expect_success "check lists every problem of $name.yaml, exit 1" '
		cp "$FIXTURES/rules/$name.yaml" . &&
		test_expect_code 1 petition rules check $name.yaml 2>err &&
		test_cmp "$FIXTURES/rules/$name.err" err
	'
	test_expect_success "load of $name.yaml: exit 78, database unchanged" '
		db_dump >before &&
		test_expect_code 78 petition rules load $name.yaml 2>err &&
		grep -q "^petition-rules: $name.yaml" err &&
		db_dump >after &&
		test_cmp before after
	'
done

test_expect_success 'check of a missing file: exit 66' '
	test_expect_code 66 petition rules check nosuch.yaml 2>err &&
	grep -q "cannot read nosuch.yaml" err
'

test_expect_success 'show prints the rules in force' '
	petition rules show >out &&
	test_cmp good.yaml out
'

test_expect_success 'load installs new rules with an event; history lists both' '
	sed "s/collective_persons: 5/collective_persons: 3/" good.yaml >three.yaml &&
	petition rules load three.yaml 2>err &&
	grep -q "three.yaml: rules loaded" err &&
	petition rules show >out &&
	test_cmp three.yaml out &&
	test "$(sqlite3 petition.db "SELECT count(*) FROM events WHERE kind = '"'"'rules.load'"'"'")" = 2 &&
	petition rules history --format csv >out &&
	test "$(wc -l <out)" = 3 &&
	head -1 out | grep -q "^id,loaded_at,operator,source,sha256,kind,in_force" &&
	grep -q ",tester,three.yaml,[0-9a-f]*,load,yes" out
'

test_expect_success 'loading the rules in force again does nothing' '
	db_dump >before &&
	petition rules load three.yaml 2>err &&
	grep -q "already in force" err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'load --dry-run checks and writes nothing' '
	db_dump >before &&
	petition rules load --dry-run good.yaml 2>err &&
	grep -q "dry run" err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success '--rules FILE and PETITION_RULES override the stored rules for one run' '
	petition rules --rules good.yaml show >out &&
	test_cmp good.yaml out &&
	PETITION_RULES=good.yaml petition rules show >out &&
	test_cmp good.yaml out &&
	test_expect_code 78 petition rules --rules "$FIXTURES/rules/syntax.yaml" show 2>err &&
	grep -q "syntax.yaml:5:1: YAML syntax" err
'

test_expect_success 'history as json and tsv' '
	petition rules history --format json >out &&
	grep -q "\"id\": 1," out &&
	petition rules history --format tsv >out &&
	head -1 out | grep -q "^id	loaded_at"
'

test_expect_success 'load into a locked database: exit 75, unchanged' '
	db_dump >before &&
	hold_write_lock petition.db 2 &
	sleep 0.5 &&
	PETITION_BUSY_TIMEOUT=100 test_expect_code 75 petition rules load good.yaml 2>err &&
	grep -q "is busy" err &&
	wait &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'output that cannot be written: exit 74' '
	test_expect_code 74 petition rules history >/dev/full 2>err &&
	grep -q "No space left on device" err &&
	test_expect_code 74 petition rules show >/dev/full 2>err
'

test_expect_success 'usage errors: exit 64' '
	test_expect_code 64 petition rules 2>err &&
	test_expect_code 64 petition rules frob 2>err &&
	grep -q "unknown subcommand" err &&
	test_expect_code 64 petition rules load 2>err &&
	test_expect_code 64 petition rules history --format xml 2>err &&
	grep -q "unknown format" err
'

test_expect_success 'no database: exit 66' '
	test_expect_code 66 petition rules --db none.db show 2>err
'

test_expect_success 'show --default prints the compiled-in default, with no database; only with show' '
	mkdir nodb && (cd nodb && petition rules show --default >../default.yaml) &&
	test_cmp "$TEST_SRC/../examples/rules.yaml" default.yaml &&
	test ! -e nodb/petition.db &&
	test_expect_code 64 petition rules history --default 2>err &&
	grep -q "default goes with show" err
'

test_expect_success 'options a subcommand does not take (its SYNOPSIS): 64' '
	petition rules show >mine.yaml &&
	test_expect_code 64 petition rules check mine.yaml --dry-run 2>err &&
	grep -q "check does not take --dry-run" err &&
	test_expect_code 64 petition rules show --format json 2>err &&
	grep -q "show does not take --format" err &&
	test_expect_code 64 petition rules load mine.yaml --format csv 2>err &&
	PETITION_TODAY=bogus test_expect_code 64 petition rules check mine.yaml 2>err &&
	grep -q "PETITION_TODAY .bogus. is not a date" err
'

test_done
