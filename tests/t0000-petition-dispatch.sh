#!/bin/sh
# petition: the dispatcher.
. "$(dirname "$0")/lib.sh"

test_expect_success '--version prints the version' '
	petition --version >out &&
	grep -q "^petition [0-9][0-9.]*$" out
'

test_expect_success '--help lists the commands on the exec path' '
	petition --help >out &&
	grep -q "^usage: petition" out &&
	grep -q "^   init$" out &&
	grep -q "^   intake$" out &&
	grep -q "^   rules$" out
'

test_expect_success 'no command: usage and command list on stderr, exit 64' '
	test_expect_code 64 petition >out 2>err &&
	test ! -s out &&
	grep -q "^   intake$" err
'

test_expect_success 'a typo gets a suggestion and exit 64' '
	test_expect_code 64 petition intak 2>err &&
	grep -q "'"'"'intak'"'"' is not a petition command" err &&
	grep -q "intake" err
'

test_expect_success 'a command runs with its arguments and its exit status passes through' '
	test_expect_code 0 petition init -q &&
	test -f petition.db &&
	test_expect_code 64 petition intake --no-such-option 2>err &&
	test_expect_code 66 petition intake --db missing.db --channel 来访 --petitioner 甲 \
		--category 咨询 --summary 问 2>err &&
	grep -q "no database at missing.db" err
'

test_expect_success '--exec-path=DIR finds a county office'"'"'s own petition-foo first' '
	mkdir -p ext &&
	printf "#!/bin/sh\necho foo ran with \"\$@\"; exit 3\n" >ext/petition-foo &&
	chmod +x ext/petition-foo &&
	test_expect_code 3 petition --exec-path=ext foo a b >out &&
	echo "foo ran with a b" >expect &&
	test_cmp expect out &&
	petition --exec-path=ext --help >out &&
	grep -q "^   foo$" out &&
	(cd ext && test_expect_code 3 petition --exec-path=: foo >/dev/null)
'

test_expect_success 'a county office'"'"'s own petition-case earlier on the exec path runs instead of ours' '
	printf "#!/bin/sh\necho our case ran with \"\$@\"; exit 3\n" >ext/petition-case &&
	chmod +x ext/petition-case &&
	test_expect_code 3 petition --exec-path=ext case show X >out &&
	echo "our case ran with show X" >expect &&
	test_cmp expect out
'

test_expect_success 'a command in the install'"'"'s own directory runs inside the dispatcher' '
	mkdir -p own &&
	cp "$PETITION_BUILD/petition" own/ &&
	printf "#!/bin/sh\necho not the builtin; exit 3\n" >own/petition-case &&
	chmod +x own/petition-case &&
	PETITION_EXEC_PATH= own/petition case --version >out &&
	grep -q "^petition-case (petition) [0-9][0-9.]*$" out &&
	test_expect_code 64 env PETITION_EXEC_PATH= own/petition case --frob 2>err &&
	grep -q "^petition-case: unrecognized option" err &&
	test_expect_code 66 env PETITION_EXEC_PATH= own/petition case --db petition.db show NOPE 2>err &&
	grep -q "^petition-case: no case .NOPE." err
'

test_expect_success 'a command run inside the dispatcher has the program'"'"'s process name' '
	petition init -q --db comm.db &&
	mkfifo in &&
	{ petition intake --db comm.db -q --csv - <in >/dev/null 2>&1 & pid=$!; } &&
	exec 3>in &&
	i=0 && comm= &&
	while [ $i -lt 100 ] && [ "$comm" != petition-intake ]; do
		sleep 0.05; comm=$(cat /proc/$pid/comm); i=$((i + 1))
	done &&
	exec 3>&- &&
	{ wait $pid || :; } &&
	test "$comm" = petition-intake
'

# Without /proc the install's directory is not known, and the current directory stands for
# it in the exec path: its files are then run as programs, never taken for the builtins.
if unshare -rm sh -c 'mount -t tmpfs none /proc' 2>/dev/null; then
	test_expect_success 'without /proc a petition-case in the current directory is run, not the builtin' '
		mkdir -p noproc &&
		cp "$PETITION_BUILD/petition" noproc/ &&
		printf "#!/bin/sh\necho the file ran; exit 3\n" >noproc/petition-case &&
		chmod +x noproc/petition-case &&
		(cd noproc && PETITION_EXEC_PATH= PATH=/usr/bin:/bin \
			test_expect_code 3 unshare -rm sh -c "mount -t tmpfs none /proc && exec ./petition case -V" >out) &&
		echo "the file ran" >expect &&
		test_cmp expect noproc/out
	'
else
	test_skip 'without /proc a petition-case in the current directory is run, not the builtin' \
		'no user and mount namespace to hide /proc in'
fi

test_expect_success 'a link there to another program runs that program' '
	rm own/petition-case &&
	ln -s ../ext/petition-case own/petition-case &&
	PETITION_EXEC_PATH= test_expect_code 3 own/petition case a >out &&
	echo "our case ran with a" >expect &&
	test_cmp expect out
'

test_expect_success 'a command that cannot be run: exit 70' '
	printf "\177ELF-not-really" >ext/petition-broken &&
	chmod +x ext/petition-broken &&
	test_expect_code 70 petition --exec-path=ext broken 2>err &&
	grep -q "cannot run ext/petition-broken" err
'

test_expect_success 'PETITION_EXEC_PATH is searched too, and --exec-path shows it' '
	PETITION_EXEC_PATH=ext test_expect_code 3 petition foo >out &&
	PETITION_EXEC_PATH=ext petition --exec-path >out &&
	echo ext >expect &&
	test_cmp expect out
'

test_expect_success 'a command run by the dispatcher names itself in option errors' '
	test_expect_code 64 petition init --frob 2>err &&
	grep -q "^petition-init: unrecognized option" err
'

test_expect_success 'a program run by its whole path names itself too, and says what is wrong' '
	test_expect_code 64 "$PETITION_BUILD/petition-case" list --frob 2>err &&
	grep -q "^petition-case: unrecognized option .--frob. (did you mean .--from.?)$" err &&
	test_expect_code 64 "$PETITION_BUILD/petition-case" list --db 2>err &&
	grep -q "^petition-case: option .--db. needs a value$" err &&
	test_expect_code 64 "$PETITION_BUILD/petition-case" list --redact=yes 2>err &&
	grep -q "^petition-case: option .--redact=yes. takes no value$" err
'

test_expect_success '--exec-path alone prints the directory' '
	petition --exec-path=ext --exec-path >out &&
	echo ext >expect &&
	test_cmp expect out
'

test_expect_success 'petition help CMD opens the manual page with man' '
	mkdir -p manroot/man1 &&
	cp "$TEST_SRC"/../man/petition-intake.1 manroot/man1/ &&
	MANPAGER=cat MANWIDTH=80 MANPATH="$TEST_DIR/manroot" petition help intake >out 2>&1 &&
	grep -q "petition-intake" out &&
	grep -q "SYNOPSIS" out
'

test_expect_success 'petition help with an unknown command is a usage error' '
	test_expect_code 64 petition help nosuch 2>err &&
	grep -q "not a petition command" err
'

test_done
