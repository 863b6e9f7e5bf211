#!/bin/sh
# make install / uninstall with PREFIX and DESTDIR; a program built against the installed
# library and header.
. "$(dirname "$0")/lib.sh"

SRC=$(cd "$TEST_SRC/.." && pwd)
D=$TEST_DIR/stage

test_expect_success 'make install DESTDIR PREFIX puts everything in place' '
	make -s -C "$SRC" B="$PETITION_BUILD" DESTDIR="$D" PREFIX=/opt/pt install >log 2>&1 &&
	for f in bin/petition bin/petition-init bin/petition-rules bin/petition-intake \
		lib/libpetition.a lib/pkgconfig/petition.pc include/petition/petition.h \
		include/petition/intake.h share/man/man1/petition.1 share/man/man1/petition-intake.1 \
		share/man/man5/petition-rules.5 share/man/man7/petition.7; do
		test -f "$D/opt/pt/$f" || { echo "missing $f"; exit 1; }
	done &&
	test -x "$D/opt/pt/bin/petition-intake" &&
	grep -q "^prefix=/opt/pt$" "$D/opt/pt/lib/pkgconfig/petition.pc"
'

test_expect_success 'the installed programs run' '
	"$D/opt/pt/bin/petition" --exec-path="$D/opt/pt/bin" --help >out &&
	grep -q "^   intake$" out &&
	"$D/opt/pt/bin/petition-init" --db inst.db -q &&
	test -f inst.db
'

test_expect_success 'a program builds against the installed header and library' '
	cat >prog.c <<-\EOF &&
	#include <petition.h>
	#include <stdio.h>
	int main(void)
	{
		char out[PT_IDNUM_LEN];
		const char *why;

		if (!pt_idnum_check("110105491231002", pt_date_today(), out, &why))
			return 1;
		printf("%s %s\n", PETITION_VERSION, out);
		return 0;
	}
	EOF
	PKG_CONFIG_PATH="$D/opt/pt/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$D" \
		cc ${PETITION_SANFLAGS:-} -o prog prog.c $(PKG_CONFIG_PATH="$D/opt/pt/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$D" \
		pkg-config --cflags --libs --static petition) &&
	./prog >out &&
	grep -q " 11010519491231002X$" out
'

test_expect_success 'make uninstall removes what install put there' '
	make -s -C "$SRC" B="$PETITION_BUILD" DESTDIR="$D" PREFIX=/opt/pt uninstall >log 2>&1 &&
	test -z "$(find "$D" -type f)"
'

test_done
