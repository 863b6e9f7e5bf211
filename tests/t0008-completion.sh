#!/bin/sh
# bash completion (completion/petition.bash): sourced in bash, COMP_WORDS and COMP_CWORD set
# as bash sets them, _petition called, COMPREPLY checked. The words come from the programs:
# the commands on the exec path, each program's verbs and options, the rules' units,
# leaders and categories, the code lists, the case numbers of the database on the line.
. "$(dirname "$0")/lib.sh"

COMPLETION=$TEST_SRC/../completion/petition.bash

if ! command -v bash >/dev/null; then
	test_skip 'bash completion' 'no bash'
	test_done
fi

# complete WORD...: complete the last word (give "" for an empty one); the candidates,
# sorted, a line each, into out.
complete() {
	bash -c '. "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _petition &&
		printf "%s\n" "${COMPREPLY[@]}"' "$COMPLETION" "$@" | sed '/^$/d' | LC_ALL=C sort >out
}

# expect WORD...: the candidates expected, against out.
expect() {
	printf "%s\n" "$@" | sed '/^$/d' | LC_ALL=C sort >expect && test_cmp expect out
}

test_expect_success 'commands: those on the exec path, and help' '
	complete petition in && expect init intake &&
	complete petition "" && grep -qx case out && grep -qx schedule out && grep -qx help out &&
	complete petition help sch && expect schedule &&
	complete petition --v && expect --version
'

test_expect_success 'verbs of a program, through petition and on its own' '
	complete petition rules "" && expect check history load show &&
	complete petition-audit "" && expect check head interview log verify &&
	complete petition case re && expect reject reopen repeat report-back request-rereview request-review rereview resolve review
'

# accept takes --on, --note and --notified-on (petition-case(1)), and the common options.
test_expect_success 'options: those the verb takes, the common ones with them' '
	complete petition case accept X --no && expect --note --notified-on &&
	complete petition case accept X --d && expect --db --dry-run &&
	complete petition-schedule due --o && expect --output --overdue &&
	complete petition case list --re && expect --redact --repeat
'

test_expect_success 'values from the code lists and the formats, after --x and in --x=' '
	complete petition case list --channel "" &&
	expect email fax hotline letter online phone transfer visit &&
	complete petition schedule add --form "" && expect 定点接访 约访 带案下访 &&
	complete petition case list --format=t && expect table tsv &&
	complete petition intake --encoding g && expect gb18030 &&
	complete petition case list --lang "" && expect en zh
'

test_expect_success 'no database: no values from it, and not a word of error' '
	complete petition case list --unit "" 2>err && expect "" && test ! -s err &&
	complete petition case show "" 2>err && expect "" && test ! -s err
'

# The default rules (examples/rules.yaml): units LYS ... and the county unions; leaders
# 王建国, 李文华, 张海燕, 刘志强; departments 法律工作部 and 办公室; 14 categories.
test_expect_success 'values from the rules in force: units, leaders, holders, categories' '
	petition init -q &&
	complete petition case list --unit LS && expect LSQ LSX &&
	complete petition intake --received-by "" && expect 王建国 李文华 张海燕 刘志强 &&
	complete petition route X --to "" && expect 王建国 李文华 张海燕 刘志强 法律工作部 办公室 &&
	complete petition intake --category 劳 && expect 劳动报酬 劳动合同 劳动安全卫生 &&
	printf "version: 1\noffice: ZZQ\nunits:\n  - { code: ZZQ, name: 某区总工会, level: county }\n" >z.yaml &&
	printf "departments:\n  - { name: 信访科, petition: true, opens_letters: true }\n" >>z.yaml &&
	petition init -q --db other.db && petition rules load -q --db other.db z.yaml &&
	complete petition case list --db other.db --unit "" && expect ZZQ &&
	complete petition case list --db=other.db --unit "" && expect ZZQ &&
	complete petition case list --rules z.yaml --unit "" && expect ZZQ &&
	PETITION_DB=other.db complete petition case list --unit "" && expect ZZQ
'

test_expect_success 'case numbers of the database on the line, where a verb takes a case' '
	petition intake -q --channel 来访 --petitioner 赵长江 --category 欠薪 --summary 欠薪 >c1 &&
	petition intake -q --channel 来信 --petitioner 钱明 --category 社保 --summary 断缴 >c2 &&
	complete petition case accept "" && expect $(cat c1 c2) &&
	complete petition schedule explain "" && expect $(cat c1 c2) &&
	complete petition route --explain "" && expect $(cat c1 c2) &&
	complete petition route "" && expect send transfer $(cat c1 c2) &&
	complete petition case accept --on 2026-11-28 "" && expect $(cat c1 c2) &&
	complete petition case accept "$(cat c1)" "" && expect "" &&
	complete petition case accept --db other.db "" && expect ""
'

test_expect_success 'file operands and file options' '
	touch rules-a.yaml &&
	complete petition rules load rules- && expect rules-a.yaml &&
	complete petition intake --csv rules- && expect rules-a.yaml
'

test_done
