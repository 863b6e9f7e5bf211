#!/bin/sh
# What a clerk at a terminal meets in every program: a usage error is one line and a pointer
# to -h; "did you mean" for verbs, options, formats and values of a fixed list; every
# unknown CSV column at once; a screenful of bad-row messages on a terminal; progress on a
# terminal only. A terminal is script(1)'s.
. "$(dirname "$0")/lib.sh"

# on_tty CMD: run CMD (a shell command line) with a terminal for stdin, stdout and stderr;
# what the terminal showed, carriage returns made line ends, into tty.
on_tty() {
	script -qec "$1" /dev/null >tty.raw
	status=$?
	tr '\r' '\n' <tty.raw | sed 's/\x1b\[K//g; /^$/d' >tty
	return $status
}

test_expect_success 'setup' '
	petition init -q
'

test_expect_success 'a usage error: the message and one line pointing to -h, not the whole usage' '
	test_expect_code 64 petition schedule due --within x 2>err &&
	printf "%s\n" "petition-schedule: --within '"'"'x'"'"' is not a number of working days" \
		"see '"'"'petition-schedule -h'"'"' for the usage" >expect &&
	test_cmp expect err
'

# Each suggestion is one or two edits from what was typed (acept: one letter missing), or
# what was typed begins with it (transferred: transfer and three letters more).
test_expect_success 'did you mean: a verb, an option, a format' '
	test_expect_code 64 petition case acept LYS-2026-000001 2>err &&
	grep -qx "petition-case: unknown subcommand .acept. (did you mean .accept.?)" err &&
	test_expect_code 64 petition audit verfy 2>err &&
	grep -qx "petition-audit: unknown subcommand .verfy. (did you mean .verify.?)" err &&
	test_expect_code 64 petition case list --chanel visit 2>err &&
	grep -qx "petition-case: unrecognized option .--chanel. (did you mean .--channel.?)" err &&
	test_expect_code 64 petition intake --categry=欠薪 2>err &&
	grep -qx "petition-intake: unrecognized option .--categry=欠薪. (did you mean .--category.?)" err &&
	test_expect_code 64 petition schedule due --format jsn 2>err &&
	grep -q "^petition-schedule: unknown format .jsn. (.*) (did you mean .json.?)$" err &&
	test_expect_code 64 petition case list --frobnicate 2>err &&
	grep -qx "petition-case: unrecognized option .--frobnicate." err
'

test_expect_success 'did you mean: values of a fixed list (channel, state, outcome, action, kind, form)' '
	test_expect_code 65 petition intake --channel transferred --petitioner 甲 --category 欠薪 \
		--summary 问 2>err &&
	grep -q "^petition-intake: channel .transferred.: unknown channel (.*) (did you mean .transfer.?)$" err &&
	test_expect_code 64 petition case list --channel vist 2>err &&
	grep -q "(did you mean .visit.?)$" err &&
	test_expect_code 64 petition case list --state closd 2>err &&
	grep -q "^petition-case: --state .closd. is not one of .* or open (did you mean .closed.?)$" err &&
	c=$(petition intake --channel 来访 --petitioner 甲 --category 欠薪 --summary 问) &&
	petition case accept -q "$c" --on 2026-11-28 &&
	db_dump >before &&
	test_expect_code 65 petition case resolve "$c" --outcome 部分 --text 答 2>err &&
	grep -q "(did you mean .部分支持.?)$" err &&
	db_dump >after && test_cmp before after &&
	test_expect_code 64 petition case list --channel 上门 2>err &&
	! grep -q "did you mean" err &&
	test_expect_code 64 petition route "$c" --to 王建国 --action instuct --note 请办 2>err &&
	grep -q "^petition-route: --action .instuct. is not .* (did you mean .instruct.?)$" err &&
	test_expect_code 64 petition schedule add --unit LYS --day 2026-12-08 --kind meetin 2>err &&
	grep -qx "petition-schedule: --kind is reception or meeting (did you mean .meeting.?)" err &&
	test_expect_code 65 petition schedule add --unit LYS --day 2026-12-08 --leader 王建国 --form 定点 2>err &&
	grep -q "(did you mean .定点接访.?)$" err &&
	test_expect_code 64 petition audit log --kind acepted 2>err &&
	grep -q "^petition-audit: --kind .acepted. is no kind of event; .* (did you mean .accepted.?)$" err &&
	db_dump >after && test_cmp before after
'

# Names the rules hold (units, leaders, departments, categories) are suggested when the one
# given is a single character off: 劳动报醻 for 劳动报酬, 兰山区总工惠 for 兰山区总工会, 王建困 for
# 王建国; 北京市总工会 is two off 临沂市总工会 (another union, not a slip) and gets none.
test_expect_success 'did you mean: names of the rules, one character off' '
	db_dump >before &&
	test_expect_code 65 petition intake --channel 来访 --petitioner 甲 --category 劳动报醻 --summary 问 2>err &&
	grep -q "category .劳动报醻.: not a category in the rules (petition rules show) (did you mean .劳动报酬.?)$" err &&
	test_expect_code 65 petition intake --channel 来访 --petitioner 甲 --category 欠薪 --summary 问 \
		--unit 北京市总工会 2>err &&
	grep -q "not a unit in the rules (petition rules show)$" err &&
	test_expect_code 64 petition case list --unit 兰山区总工惠 2>err &&
	grep -q "^petition-case: --unit: .兰山区总工惠. is not a unit in the rules (petition rules show) (did you mean .兰山区总工会.?)$" err &&
	c=$(petition case list --format csv | sed -n 2p | cut -d, -f1) &&
	test_expect_code 65 petition route "$c" --to 王建困 --action instruct --note 请办 2>err &&
	grep -q "^petition-route: --to: .王建困. is not a leader or department in the rules (petition rules show) (did you mean .王建国.?)$" err &&
	db_dump >after && test_cmp before after
'

test_expect_success 'intake names every unknown column at once' '
	printf "收到日期,形式,备注,姓名,类别,经办,内容\n2026-03-01,来访,无,甲,欠薪,王,工资\n" >cols.csv &&
	test_expect_code 65 petition intake --csv cols.csv 2>err &&
	echo "petition-intake: cols.csv:1: columns 3 '"'"'备注'"'"', 6 '"'"'经办'"'"' are not fields of a petition (use --ignore-unknown to skip them)" >expect &&
	test_cmp expect err
'

# 25 rows with an unknown channel: each one message. On a terminal the first 20 (lines 2 to
# 21 of the file), then the 5 not shown and where to see them; into a file all 25.
test_expect_success 'bad rows: a screenful on a terminal, then the count; all of them into a file' '
	{ echo "received_on,channel,petitioner,category,summary" &&
	  for i in $(seq 1 25); do echo "2026-03-01,上门,甲$i,欠薪,工资"; done; } >bad.csv &&
	test_expect_code 65 on_tty "petition intake --csv bad.csv" &&
	test "$(grep -c "^petition-intake: bad.csv:[0-9]*: channel" tty)" -eq 20 &&
	grep -q "^petition-intake: bad.csv:21: channel" tty &&
	! grep -q "^petition-intake: bad.csv:22:" tty &&
	grep -qx "petition-intake: 5 more problems not shown here; --rejects FILE writes .*" tty &&
	grep -qx "petition-intake: 25 bad rows; nothing was registered" tty &&
	test_expect_code 65 petition intake --csv bad.csv 2>err &&
	test "$(grep -c "^petition-intake: bad.csv:[0-9]*: channel" err)" -eq 25 &&
	! grep -q "not shown" err
'

# After a second (a slow or loaded machine), the time left follows the percent.
LEFT='(, about [0-9]+:[0-5][0-9] left)?'

# 10000 rows: intake reports every 10000 rows, so once, when every byte was read (100%).
# Routing reads the 10000 registered cases 4096 at a time: 4096 is 40% of them (40.96),
# 8192 81% (81.92), 10000 100%; a redraw comes at most every tenth of a second, so some
# may not show, but each one shown says the percent of its count. audit verify replays the
# 4 events of big.db (init: the database made and the default rules loaded; the import; the
# routing run): the first one shown is the first event, 1 of 4, 25%. The report does not
# count the cases of its period first: the first case read, and no percent.
test_expect_success 'progress on a terminal (intake, route, audit verify, report); nothing when stderr is a file' '
	petition init -q --db big.db &&
	awk "BEGIN { print \"received_on,channel,petitioner,category,summary\";
		for (i = 1; i <= 10000; i++) printf \"2026-11-01,来访,甲%d,欠薪,工资%d\\n\", i, i }" >big.csv &&
	on_tty "petition intake --db big.db --csv big.csv" &&
	grep -Eqx "petition-intake: 10000 rows, 100%$LEFT" tty &&
	grep -qx "petition-intake: 10000 added, 0 already present, 0 rejected" tty &&
	on_tty "petition route --db big.db >/dev/null" &&
	grep "^petition-route: [0-9]* cases, " tty | sed -E "s/$LEFT\$//" >shown &&
	test -s shown &&
	while read -r prog n cases pct; do
		case "$n $pct" in
		"4096 40%"|"8192 81%"|"10000 100%") ;;
		*) echo "wrong: $n $pct"; exit 1 ;;
		esac
	done <shown &&
	grep -qx "petition-route: 10000 cases routed (10000 steps)" tty &&
	on_tty "petition audit verify --db big.db >/dev/null" &&
	grep -Eqx "petition-audit: 1 events, 25%$LEFT" tty &&
	grep -qx "petition-audit: 4 events replayed, 0 findings" tty &&
	on_tty "petition report quarter --db big.db --period 2026Q4 >/dev/null" &&
	grep -qx "petition-report: 1 cases" tty && ! grep -q "cases, [0-9]*%" tty &&
	petition init -q --db quiet.db &&
	petition intake --db quiet.db --csv big.csv 2>err &&
	echo "petition-intake: 10000 added, 0 already present, 0 rejected" >expect &&
	test_cmp expect err &&
	on_tty "petition intake -q --db quiet.db --csv big.csv" && test ! -s tty
'

test_done
