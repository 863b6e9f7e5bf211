#!/bin/sh
# The rules loader is bounded (issue 13): nesting deeper than 32 levels or more than 20,000
# values is refused before the YAML is built, a file over 16 MiB is a problem that check
# reports (1), and invalid UTF-8 is reported at its line and column. Timing is measured by
# bench/rules.sh, not here.
. "$(dirname "$0")/lib.sh"

rules=$TEST_SRC/../examples/rules.yaml

test_expect_success 'setup' '
	petition init -q &&
	db_dump >before
'

# Line 2 is "x: " then the brackets. The top mapping is depth 1, so the k-th "[" is depth
# k + 1: depth 33 is the 32nd, at column 3 + 32 = 35.
test_expect_success '30,000 nested brackets: a problem at the 32nd (check 1, load 78, nothing written)' '
	{ printf "version: 1\nx: "; head -c 30000 /dev/zero | tr "\0" "["; } >deep.yaml &&
	test_expect_code 1 petition rules check deep.yaml 2>err &&
	grep -q "^petition-rules: deep.yaml:2:35: nested deeper than 32 levels; no rules file needs that\$" err &&
	test_expect_code 78 petition rules load deep.yaml 2>err &&
	grep -q "deep.yaml:2:35: nested deeper than 32 levels" err &&
	test_expect_code 78 petition case list --rules deep.yaml 2>err &&
	db_dump >after &&
	test_cmp before after
'

# Block mappings, line n (n >= 2) indented n - 2 columns: "k0:" on line 2 is in the top
# mapping (depth 1), "k1:" on line 3 in its value (depth 2), ..., so the mapping of line 34
# ("k32:", 32 blanks in) is depth 33: column 33.
test_expect_success 'block mappings nested by indentation: the same limit' '
	awk "BEGIN { for (i = 0; i < 40; i++) printf \"%*sk%d:\n\", i, \"\", i }" >indent.yaml &&
	sed -i "1i version: 1" indent.yaml &&
	test_expect_code 1 petition rules check indent.yaml 2>err &&
	grep -q "^petition-rules: indent.yaml:34:33: nested deeper than 32 levels" err
'

# "version: 1" is 2 values; then "x:" 1 and 20,000 items: the 20,001st value is the
# 19,998th item, on line 2 + 19,998 = 20,000.
test_expect_success 'more than 20,000 values: refused at the one over' '
	{ printf "version: 1\nx:\n"; yes "  - a" | head -n 20000; } >many.yaml &&
	test_expect_code 1 petition rules check many.yaml 2>err &&
	grep -q "^petition-rules: many.yaml:20000:5: more than 20000 values; no rules file needs that\$" err
'

test_expect_success 'over 16 MiB: a problem check reports (1); load and --rules 78' '
	{ cat "$rules"; yes "# padding" | head -c 16777216; } >huge.yaml &&
	test_expect_code 1 petition rules check huge.yaml 2>err &&
	grep -q "^petition-rules: huge.yaml: larger than 16 MiB, which no rules file is\$" err &&
	grep -q "huge.yaml: 1 problem" err &&
	test_expect_code 78 petition rules load huge.yaml 2>err &&
	grep -q "larger than 16 MiB" err &&
	db_dump >after &&
	test_cmp before after
'

# Columns count characters: in "# 说明：caf\351" the bad byte is the 9th character.
test_expect_success 'invalid UTF-8: its line and column, whatever the bytes' '
	sed "3a # 说明：caf$(printf "\351")" "$rules" >latin1.yaml &&
	test_expect_code 1 petition rules check latin1.yaml 2>err &&
	grep -q "^petition-rules: latin1.yaml:4:9: not UTF-8 (invalid trailing UTF-8 octet, byte 0xe9); save the file as UTF-8\$" err &&
	printf "version: 1\noffice: LYS\nx: \"中文$(printf "\200")\"\n" >stray.yaml &&
	test_expect_code 1 petition rules check stray.yaml 2>err &&
	grep -q "stray.yaml:3:7: not UTF-8 (invalid leading UTF-8 octet, byte 0x80)" err &&
	printf "version: 1\noffice: LYS\nx: 中文$(printf "\344\270")" >cut.yaml &&
	test_expect_code 1 petition rules check cut.yaml 2>err &&
	grep -q "cut.yaml:3:6: not UTF-8 (incomplete UTF-8 octet sequence, byte 0xe4)" err &&
	test_expect_code 78 petition rules load latin1.yaml 2>err &&
	db_dump >after &&
	test_cmp before after
'

test_expect_success 'the default rules, well inside both limits, still load' '
	petition rules check "$rules" 2>err &&
	grep -q ": ok (" err
'

test_done
