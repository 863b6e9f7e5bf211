#!/bin/sh
# bench/rollup.sh B [N]: time `petition report rollup` over 200 received submissions against
# reading the 200 files with cat (issue 10's target: under a second, stated as a ratio to
# cat).
#
#   sh bench/rollup.sh build 10000        (what `make bench` runs after bench/check.sh)
#
# In a scratch directory: a county database (rules of examples/rules.yaml with office LSQ)
# holding N/100 petitions of bench/gen.c (at least 10), registered by petition-intake, makes
# its 2026Q2 submission; it is copied to 200 files, each for a county C001..C200 of the
# city's rules (examples/rules.yaml with the 200 counties added under LYS), its unit changed
# and its digest made again; the city receives the 200 in one run. Then, interleaved,
# BENCH_ROLLUP_REPS times each (5 by default):
#   baseline   cat the 200 files
#   petition   petition-report rollup --period 2026Q2 --format csv
# both to /dev/null under bench/runstat; the medians and their ratio are printed. Exits
# non-zero only when a command fails; figures are printed, not judged.

. "$(dirname "$0")/lib.sh"

[ -x "$bin/petition-report" ] && [ -x "$bin/petition-rules" ] || die "no $bin/petition-report (run make first)"
reps=${BENCH_ROLLUP_REPS:-5}
rows=$((N / 100))
[ "$rows" -ge 10 ] || rows=10

median() {
	sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# The county and its submission.
sed 's/^office: LYS/office: LSQ/' "$root/examples/rules.yaml" >county.yaml
./gen "$rows" >data.csv || die "gen failed"
"$bin/petition-init" -q --db county.db || die "petition-init failed"
"$bin/petition-rules" -q --db county.db load county.yaml || die "petition-rules load failed"
"$bin/petition-intake" -q --db county.db --csv data.csv || die "petition-intake failed"
PETITION_TODAY=2026-07-08 "$bin/petition-report" -q --db county.db submit --period 2026Q2 -o county.json || die "submit failed"

# The city: 200 counties in its rules, a submission from each.
awk '{ print } /^units:$/ { for (i = 1; i <= 200; i++) printf "  - { code: C%03d, name: 县%03d, level: county, parent: LYS }\n", i, i }' \
	"$root/examples/rules.yaml" >city.yaml
"$bin/petition-init" -q --db city.db || die "petition-init failed"
"$bin/petition-rules" -q --db city.db load city.yaml || die "petition-rules load failed (city)"
mkdir sub || die "cannot make sub/"
i=1
while [ $i -le 200 ]; do
	f=sub/$(printf C%03d $i).json
	head -c -78 county.json | sed "s/^{\"format\":\"petition-submission\",\"version\":1,\"unit\":\"LSQ\"/{\"format\":\"petition-submission\",\"version\":1,\"unit\":\"$(printf C%03d $i)\"/" >"$f.body"
	{ cat "$f.body"; printf ',"sha256":"%s"}\n' "$(sha256sum <"$f.body" | cut -d' ' -f1)"; } >"$f"
	rm "$f.body"
	i=$((i + 1))
done
"$bin/petition-report" -q --db city.db receive sub/*.json || die "receive failed"
bytes=$(cat sub/*.json | wc -c)

printf '%s\n' "petition report rollup benchmark: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, petition $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'), $reps runs each, medians"
printf '%s\n' "200 submissions of a county with $rows petitions, $bytes bytes in all"
r=1
while [ $r -le "$reps" ]; do
	measure base cat sub/*.json
	measure pet "$bin/petition-report" --db city.db rollup --period 2026Q2 --format csv
	r=$((r + 1))
done
b=$(awk '{ print $1 }' base.stat | median)
p=$(awk '{ print $1 }' pet.stat | median)
bm=$(awk '{ print $3 }' base.stat | median)
pm=$(awk '{ print $3 }' pet.stat | median)
printf '\n%8s %10s %7s %8s %11s\n' "cat s" "rollup s" ratio "cat MB" "rollup MB"
awk -v b="$b" -v p="$p" -v bm="$bm" -v pm="$pm" 'BEGIN {
	printf "%8.3f %10.3f %7.1f %8.1f %11.1f\n", b, p, (b > 0 ? p / b : 0), bm / 1024, pm / 1024 }'
