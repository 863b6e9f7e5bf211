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
echo "== petition route   (every new case to the leader or department who must act)"
petition route --format table
echo
echo "== why the unnamed letter LYS-2026-000013 went where it went"
petition route --explain LYS-2026-000013 --format table
echo
echo "== a letter to 张海燕 takes its course: her instruction, acceptance, the answer"
petition case instruct LYS-2026-000002 --by 王建国 --text 阅 || echo "(exit status $?: only the named leader)"
petition case instruct LYS-2026-000002 --by 张海燕 --text 请法律工作部依法办理 --on 2026-07-06 --format table
petition case accept LYS-2026-000002 --on 2026-07-08 -q --format table
petition case resolve LYS-2026-000002 --outcome 支持 --text 已督促企业补缴 --on 2026-08-20 -q --format table
petition case deliver LYS-2026-000002 --how 当面 --on 2026-08-21 -q --format table
petition case show LYS-2026-000002 --redact --format table
echo
echo "== the quarterly report (统计报告表), part A: the third quarter of 2026"
petition report quarter --period 2026Q3 --part A --format table
echo
echo "== the same report to print (A4 landscape) and as a workbook, every part"
petition report quarter --period 2026Q3 -o "$scratch/2026Q3.html"
petition report quarter --period 2026Q3 -o "$scratch/2026Q3.xlsx"
echo "$scratch/2026Q3.html (open it in a browser and print it), $scratch/2026Q3.xlsx"
echo
echo "== the rules in force"
petition rules history --format table
echo
echo "The database is $PETITION_DB; try: PETITION_DB=$PETITION_DB petition rules show"
