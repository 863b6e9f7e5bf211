#!/bin/sh
# Man pages: each program's SYNOPSIS equals its usage text (HACKING.md), token for
# token; every page is clean under `mandoc -Tlint -Wwarning`; the default rules shown in
# petition-rules(5) are examples/rules.yaml as it is.
#
# Plain sh and TAP, on its own (no lib.sh): the programs are in $PETITION_BUILD, by
# default ../build relative to this script.

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
man=$top/man
build=${PETITION_BUILD:-$here/../build}
programs='petition petition-init petition-rules petition-intake petition-route petition-case petition-schedule petition-audit petition-report'

if ! command -v mandoc >/dev/null 2>&1; then
	echo '1..0 # SKIP mandoc is not installed'
	exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/petition-t9000.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
bs=$(printf '\b')

set -- $programs
echo "1..$(($# + 2))"
n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	for f in "$@"; do
		[ -s "$f" ] && sed 's/^/#   /' "$f"
	done
}

# One whitespace-separated token a line.
tokens() {
	tr -s ' \t' '\n\n' | sed '/^$/d'
}

# The SYNOPSIS section of a page rendered as text, without overstrikes (bold, underline).
synopsis() {
	mandoc -Tascii "$1" | sed "s/.$bs//g" |
		awk '/^SYNOPSIS$/ { on = 1; next } /^[^ \t]/ { on = 0 } on'
}

for prog; do
	page=$man/$prog.1
	what="$prog(1) SYNOPSIS equals '$prog -h'"
	if [ ! -f "$page" ]; then
		echo "no page $page" >"$tmp/why"
		not_ok "$what" "$tmp/why"
		continue
	fi
	if ! "$build/$prog" -h >"$tmp/usage" 2>"$tmp/why"; then
		echo "$build/$prog -h failed" >>"$tmp/why"
		not_ok "$what" "$tmp/why"
		continue
	fi
	# The usage is what comes before the first empty line (petition -h goes on to
	# list the commands).
	awk 'NF == 0 { exit } { print }' "$tmp/usage" | tokens >"$tmp/usage.tok"
	if [ "$(sed -n 1p "$tmp/usage.tok")" != usage: ]; then
		echo "'$prog -h' does not begin with 'usage:'" >"$tmp/why"
		not_ok "$what" "$tmp/why" "$tmp/usage"
		continue
	fi
	sed 1d "$tmp/usage.tok" >"$tmp/want"
	synopsis "$page" | tokens >"$tmp/got"
	if [ ! -s "$tmp/got" ]; then
		echo "no SYNOPSIS in $page" >"$tmp/why"
		not_ok "$what" "$tmp/why"
	elif diff -u "$tmp/want" "$tmp/got" >"$tmp/diff"; then
		ok "$what"
	else
		echo "tokens of '$prog -h' (-) and of the SYNOPSIS (+):" >"$tmp/why"
		not_ok "$what" "$tmp/why" "$tmp/diff"
	fi
done

# Every page, lint-clean at warning level (mandoc -Tlint writes to stdout).
set --
for page in "$man"/*.[1-9]; do
	[ -f "$page" ] && set -- "$@" "$page"
done
if [ $# -eq 0 ]; then
	echo "no pages in $man" >"$tmp/lint"
	not_ok "mandoc -Tlint -Wwarning prints nothing" "$tmp/lint"
else
	mandoc -Tlint -Wwarning "$@" >"$tmp/lint" 2>&1
	if [ -s "$tmp/lint" ]; then
		not_ok "mandoc -Tlint -Wwarning prints nothing ($# pages)" "$tmp/lint"
	else
		ok "mandoc -Tlint -Wwarning prints nothing ($# pages)"
	fi
fi

# The default rules in petition-rules(5): the display after the marker comment, unescaped.
awk '/^\.\\" The default rules: examples\/rules\.yaml/ { on = 1; next }
	on && /^\.Bd/ { next }
	on && /^\.Ed/ { exit }
	on' "$man/petition-rules.5" 2>/dev/null |
	sed -e 's/^\\&//' -e 's/\\e/\\/g' >"$tmp/rules"
if [ -s "$tmp/rules" ] && cmp -s "$top/examples/rules.yaml" "$tmp/rules"; then
	ok "petition-rules(5) shows examples/rules.yaml as it is"
else
	diff -u "$top/examples/rules.yaml" "$tmp/rules" >"$tmp/diff"
	echo "examples/rules.yaml (-) and the display in petition-rules(5) (+):" >"$tmp/why"
	not_ok "petition-rules(5) shows examples/rules.yaml as it is" "$tmp/why" "$tmp/diff"
fi

exit $((failed > 0))
