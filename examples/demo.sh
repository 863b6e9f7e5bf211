#!/bin/sh
# make demo: the main job end to end on the embedded default rules and the shipped sample.
# Usage: sh examples/demo.sh BUILD_DIR
set -eu
build=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/petition-demo.XXXXXX")
PATH=$build:$PATH
PETITION_EXEC_PATH=$build
PETITION_DB=$scratch/petition.db
export PATH PETITION_EXEC_PATH PETITION_DB

echo "== petition init   (a new database with the default rules, in $scratch)"
petition init
echo
echo "== petition intake --csv examples/petitions.csv --print   (25 petitions from a spreadsheet)"
petition intake --csv "$here/petitions.csv" --print --format table
echo
echo "== the same file again: nothing is added twice"
petition intake --csv "$here/petitions.csv"
echo
echo "== one petition from a shell script"
case_no=$(petition intake --channel 来访 --petitioner 刘桂芝 --category 欠薪 \
	--summary "反映物业公司拖欠保洁员两个月工资" --employer 临沂某物业公司 --received-by 王建国)
echo "registered as $case_no"
echo
echo "== a bad row is refused with its line and field, and nothing is written"
printf '收到日期,形式,姓名,身份证号,类别,内容\n2026-10-08,来访,王某,371302197203151230,欠薪,工资\n' >"$scratch/bad.csv"
petition intake --csv "$scratch/bad.csv" || echo "(exit status $?)"
echo
echo "== the rules in force"
petition rules history --format table
echo
echo "The database is $PETITION_DB; try: PETITION_DB=$PETITION_DB petition rules show"
