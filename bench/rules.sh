#!/bin/sh
# bench/rules.sh B: time `petition rules check` on the worst rules files the 16 MiB size cap
# allows (issue 13: every file up to the cap is judged in under a second), against the
# embedded default rules (examples/rules.yaml) as the baseline.
#
#   sh bench/rules.sh build            (what `make bench` runs)
#
# The files, each just under 16 MiB unless said:
#   default   examples/rules.yaml (about 14 KB): the baseline
#   brackets  16 MiB of '[' (libyaml alone took 5 s for 30,000, 55 s for 100,000)
#   indent    block mappings each one column deeper than the last
#   flow      one flow sequence of 5.6 million items
#   lines     a block sequence of 2.8 million lines
#   scalar    one quoted scalar of 16 MiB
#   over      17 MB of comments: over the cap
# Each is checked BENCH_RULES_REPS (default 3) times under bench/runstat; the median wall
# and CPU seconds and the peak memory are printed. Exits non-zero only when a check does
# not end in 0 (default) or 1 (problems found); figures are printed, not judged.

. "$(dirname "$0")/lib.sh"

reps=${BENCH_RULES_REPS:-3}
case $reps in '' | *[!0-9]* | 0) die "BENCH_RULES_REPS must be a positive whole number" ;; esac
cap=$((16 * 1024 * 1024 - 64))

cp "$root/examples/rules.yaml" default.yaml
{ printf 'version: 1\nx: '; head -c "$cap" /dev/zero | tr '\0' '['; } >brackets.yaml
awk -v cap="$cap" 'BEGIN { print "version: 1"; n = 11
	for (i = 0; ; i++) { line = sprintf("%*s", i, "") "k" i ":"; if ((n += length(line) + 1) > cap) break; print line } }' \
	>indent.yaml
{ printf 'version: 1\nx: ['; yes 'a,' | head -n $((cap / 3)) | tr '\n' ' '; printf 'a]\n'; } >flow.yaml
{ printf 'version: 1\nx:\n'; yes '  - a' | head -n $((cap / 6)); } >lines.yaml
{ printf 'version: 1\nx: "'; head -c "$cap" /dev/zero | tr '\0' 'a'; printf '"\n'; } >scalar.yaml
yes '# a comment line of about forty bytes....' | head -c 17000000 >over.yaml

printf '%-9s %10s %8s %8s %10s  %s\n' file bytes wall cpu peak_kb status
for f in default brackets indent flow lines scalar over; do
	rm -f "$f.stat"
	i=0
	while [ $i -lt "$reps" ]; do
		./runstat "$f.stat" "$bin/petition-rules" check -q "$f.yaml" >/dev/null 2>"$f.err"
		st=$?
		[ $st -le 1 ] || die "petition-rules check $f.yaml: exit $st: $(head -n 1 "$f.err")"
		i=$((i + 1))
	done
	med() { awk -v c="$1" '{ print $c }' "$f.stat" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
	printf '%-9s %10s %8s %8s %10s  %s\n' "$f" "$(wc -c <"$f.yaml")" "$(med 1)" "$(med 2)" "$(med 3)" \
		"$(field "$f" 4) $(head -n 1 "$f.err" | sed 's/^petition-rules: [^:]*://' | cut -c1-56)"
done
