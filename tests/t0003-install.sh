#!/bin/sh
# make install / uninstall with PREFIX and DESTDIR; the dispatcher runs the programs of its
# own install, whatever the build's PREFIX (installed to two prefixes, and a DESTDIR tree
# moved elsewhere); a program outside the tree built with pkg-config against the installed
# header and library.
. "$(dirname "$0")/lib.sh"

SRC=$(cd "$TEST_SRC/.." && pwd)
D=$TEST_DIR/stage

# install PREFIX [DESTDIR]: make install of the tested build.
install_to() {
	make -s -C "$SRC" B="$PETITION_BUILD" DESTDIR="${2:-}" PREFIX="$1" install >log 2>&1 ||
		{ cat log; return 1; }
}

test_expect_success 'make install DESTDIR PREFIX puts everything in place' '
	install_to /opt/pt "$D" &&
	for f in bin/petition bin/petition-init bin/petition-rules bin/petition-intake \
		lib/libpetition.a lib/pkgconfig/petition.pc include/petition/petition.h \
		include/petition/intake.h include/petition/csv.h share/man/man1/petition.1 \
		share/man/man1/petition-intake.1 share/man/man5/petition-rules.5 \
		share/man/man7/petition.7 share/bash-completion/completions/petition; do
		test -f "$D/opt/pt/$f" || { echo "missing $f"; exit 1; }
	done &&
	test -L "$D/opt/pt/share/bash-completion/completions/petition-case" &&
	test -x "$D/opt/pt/bin/petition-intake" &&
	grep -q "^prefix=/opt/pt$" "$D/opt/pt/lib/pkgconfig/petition.pc"
'

test_expect_success 'the installed programs run' '
	"$D/opt/pt/bin/petition" --exec-path="$D/opt/pt/bin" --help >out &&
	grep -q "^   intake$" out &&
	"$D/opt/pt/bin/petition-init" --db inst.db -q &&
	test -f inst.db
'

# Without PETITION_EXEC_PATH (which the tests set), the dispatcher looks beside itself.
test_expect_success 'a DESTDIR tree moved elsewhere runs its own programs: --exec-path says where' '
	cp -R "$D/opt/pt" moved &&
	(unset PETITION_EXEC_PATH; moved/bin/petition --exec-path) >out &&
	echo "$TEST_DIR/moved/bin" >expect &&
	test_cmp expect out
'

# The same build installed to two prefixes; the first install holds an older petition-init
# that says so, and is first on PATH. The second install must run its own; the first
# dispatcher runs the init built into it, the file only when called by its name (petition(1)).
test_expect_success 'installed to two prefixes, each dispatcher runs its own programs' '
	install_to "$TEST_DIR/p1" && install_to "$TEST_DIR/p2" &&
	printf "#!/bin/sh\necho stale petition-init >&2; exit 3\n" >p1/bin/petition-init &&
	chmod +x p1/bin/petition-init &&
	(unset PETITION_EXEC_PATH; PATH="$TEST_DIR/p1/bin:$PATH"
	 p2/bin/petition --exec-path >out &&
	 p2/bin/petition init --db two.db -q 2>err) &&
	echo "$TEST_DIR/p2/bin" >expect &&
	test_cmp expect out &&
	test ! -s err && test -f two.db &&
	(unset PETITION_EXEC_PATH; p1/bin/petition init --db one.db -q 2>err) &&
	test ! -s err && test -f one.db &&
	(unset PETITION_EXEC_PATH; test_expect_code 3 p1/bin/petition-init --db one.db 2>err) &&
	grep -q "stale petition-init" err
'

# The layout of git's RUNTIME_PREFIX: the programs in PREFIX/libexec/petition, two steps up
# and down from bin. The Makefile writes the relative paths for such a layout (make of the
# header alone, in a directory of its own, so that the tested build is not rebuilt), and the
# dispatcher compiled with them finds ../libexec/petition beside a copy moved anywhere.
test_expect_success 'LIBEXECDIR=PREFIX/libexec/petition: found relative to bin, wherever it is' '
	make -s -C "$SRC" B="$TEST_DIR/gen" PREFIX=/opt/x LIBEXECDIR=/opt/x/libexec/petition \
		"$TEST_DIR/gen/gen/paths.h" "$TEST_DIR/gen/gen/builtins.h" &&
	grep -qx "#define PT_LIBEXEC_FROM_BIN \"../libexec/petition\"" gen/gen/paths.h &&
	grep -qx "#define PT_MAN_FROM_BIN \"../share/man\"" gen/gen/paths.h &&
	mkdir -p here/bin here/libexec/petition &&
	cc ${PETITION_SANFLAGS:-} -D_GNU_SOURCE -Igen/gen -o here/bin/petition "$SRC/cmd/petition.c" \
		"$PETITION_BUILD"/cmd/builtin-*.o "$PETITION_BUILD/cmd/common.o" \
		"$PETITION_BUILD/libpetition.a" $(pkg-config --libs sqlite3 yaml-0.1 nettle) -lcsv -lm &&
	cp "$PETITION_BUILD/petition-init" here/libexec/petition/ &&
	mv here elsewhere &&
	(unset PETITION_EXEC_PATH; PATH=/usr/bin:/bin
	 elsewhere/bin/petition --exec-path >out &&
	 elsewhere/bin/petition init -q --db layout.db) &&
	echo "$TEST_DIR/elsewhere/libexec/petition" >expect &&
	test_cmp expect out && test -f layout.db
'

# The umbrella header is <petition/petition.h>, so that libcsv's <csv.h> is still libcsv's;
# the .pc links the static library with its dependencies without --static.
test_expect_success 'a program outside the tree builds with pkg-config and runs' '
	cat >prog.c <<-\EOF &&
	#include <petition/petition.h>
	#include <csv.h>
	#include <stdio.h>
	int main(void)
	{
		char out[PT_IDNUM_LEN];
		const char *why;
		struct csv_parser p;

		if (csv_init(&p, CSV_STRICT) != 0)
			return 2;
		csv_free(&p);
		if (!pt_idnum_check("110105491231002", pt_date_today(), out, &why))
			return 1;
		printf("%s %s\n", PETITION_VERSION, out);
		return 0;
	}
	EOF
	export PKG_CONFIG_PATH="$D/opt/pt/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$D" &&
	cc ${PETITION_SANFLAGS:-} -o prog prog.c $(pkg-config --cflags --libs petition) &&
	./prog >out &&
	grep -q " 11010519491231002X$" out
'

test_expect_success 'make uninstall removes what install put there' '
	make -s -C "$SRC" B="$PETITION_BUILD" DESTDIR="$D" PREFIX=/opt/pt uninstall >log 2>&1 &&
	test -z "$(find "$D" -type f -o -type l)"
'

test_done
