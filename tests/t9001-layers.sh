#!/bin/sh
# The library's layers (lib/README): no include of a higher floor, no module missing from
# the table, no circle of includes. The checker (tests/layers.pl) is first proven on small
# fake trees that break each rule, so that its silence on the real tree means something.
. "$(dirname "$0")/lib.sh"

top=$(cd "$TEST_SRC/.." && pwd)
check="perl $TEST_SRC/layers.pl"

# fake_tree DIR: a tree whose lib/README has two floors, low (a b c) and high (h x), and
# whose modules include nothing; files are then added by each test.
fake_tree() {
	mkdir -p "$1/lib" "$1/cmd" &&
	printf '%s\n' 'floor low: a b c' 'floor high: h x' >"$1/lib/README" &&
	for m in a b c h; do
		printf '#include "%s.h"\n' "$m" >"$1/lib/$m.c" &&
		printf '/* %s */\n' "$m" >"$1/lib/$m.h" || return 1
	done &&
	printf '#include "../lib/petition.h"\n#include "../lib/h.h"\n' >"$1/cmd/main.c" &&
	printf '#include "a.h"\n#include "h.h"\n' >"$1/lib/petition.h"
}

test_expect_success 'checker: a tree as drawn passes (x is listed, absent)' '
	fake_tree ok &&
	echo "#include \"a.h\"" >>ok/lib/h.c &&
	echo "#include \"b.h\"" >>ok/lib/a.h &&
	$check ok >out &&
	test ! -s out
'

test_expect_success 'checker: an include of a higher floor fails' '
	fake_tree up &&
	echo "#include \"h.h\"" >>up/lib/a.c &&
	test_expect_code 1 $check up >out &&
	grep "lib/a.c:2: a (low) includes h (high), a higher floor" out
'

test_expect_success 'checker: two modules that include each other fail' '
	fake_tree pair &&
	echo "#include \"b.h\"" >>pair/lib/a.h &&
	echo "#include \"a.h\"" >>pair/lib/b.c &&
	test_expect_code 1 $check pair >out &&
	grep "^circle: a -> b -> a" out
'

test_expect_success 'checker: a longer circle fails (a -> b -> c -> a)' '
	fake_tree ring &&
	echo "#include \"b.h\"" >>ring/lib/a.c &&
	echo "#include \"c.h\"" >>ring/lib/b.h &&
	echo "#include \"a.h\"" >>ring/lib/c.c &&
	test_expect_code 1 $check ring >out &&
	grep "^circle: a -> b -> c -> a" out
'

test_expect_success 'checker: a module missing from the table fails' '
	fake_tree stray &&
	echo "/* y */" >stray/lib/y.h &&
	echo "#include \"y.h\"" >>stray/lib/h.c &&
	test_expect_code 1 $check stray >out &&
	grep "lib/y.h: module y is not in the floors" out &&
	grep "lib/h.c:2: includes module y, which is not in the floors" out
'

test_expect_success 'checker: lib/ including cmd/ or the umbrella header fails' '
	fake_tree down &&
	echo "#include \"../cmd/main.h\"" >>down/lib/h.c &&
	echo "#include \"petition.h\"" >>down/lib/a.c &&
	test_expect_code 1 $check down >out &&
	grep "lib/h.c:2: lib/ includes cmd/" out &&
	grep "lib/a.c:2: includes petition.h, the umbrella header" out
'

test_expect_success 'lib/README lists every floor of the design' '
	grep "^floor base: " "$top/lib/README" &&
	grep "^floor core: .* vocab" "$top/lib/README" &&
	grep "^floor model: .*change" "$top/lib/README" &&
	grep "^floor model: .*casefile" "$top/lib/README" &&
	grep "^floor operations: " "$top/lib/README"
'

test_expect_success 'the includes of lib/ and cmd/ keep to the layers, without a circle' '
	$check "$top" >out 2>&1 || { cat out; false; }
'

test_done
