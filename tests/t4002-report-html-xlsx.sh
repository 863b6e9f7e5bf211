#!/bin/sh
# petition report quarter as a printable page (--format html) and a workbook (xlsx),
# read back with an HTML parser (python3's html.parser) and openpyxl, with figures
# counted by hand from five cases and one typical case.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3

# The office's name and a typical case's note carry < & > so that escaping shows.
test_expect_success 'setup: five cases, four of them in 2026Q3, one marked typical' '
	sed "s/name: 临沂市总工会, /name: \"临沂市总工会<\&>\", /" "$TEST_SRC/../examples/rules.yaml" >rules.yaml &&
	grep -q "临沂市总工会<&>" rules.yaml &&
	petition init -q --rules rules.yaml &&
	petition rules load -q rules.yaml &&
	petition intake -q --received-on 2026-07-06 --channel 来访 --petitioner 甲 --category 欠薪 --summary 一 &&
	petition intake -q --received-on 2026-08-10 --channel 来访 --petitioner 乙 --category 欠薪 --summary 二 --persons 6 &&
	petition intake -q --received-on 2026-09-15 --channel 来信 --petitioner 丙 --category 社会保险 --summary 三 &&
	petition intake -q --received-on 2026-09-20 --channel 来电 --petitioner 丁 --category 咨询 --summary 四 --persons 2 --unit LSQ &&
	petition intake -q --received-on 2026-10-05 --channel 来访 --petitioner 戊 --category 欠薪 --summary 五 --persons 3 &&
	petition case typical -q LYS-2026-000002 --note "<集体>讨薪 & 督促" --on 2026-09-30 >/dev/null
'

# The page as a parser sees it: the title, the fields, each table's caption, its columns
# (the header's leaves, groups resolved) and rows; for parts A and D some columns by their
# heads; the signature lines.
cat >page.py <<\PY
import sys
from html.parser import HTMLParser

class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.out, self.stack, self.text = [], [], ""
        self.tables, self.fields, self.signs = [], [], []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.stack.append((tag, a))
        self.text = ""
        if tag == "table":
            self.tables.append({"caption": self.caption, "head": [], "body": []})
        elif tag == "tr":
            t = self.tables[-1]
            (t["head"] if self.section == "thead" else t["body"]).append([])
        elif tag in ("thead", "tbody"):
            self.section = tag
    def handle_endtag(self, tag):
        t, a = self.stack.pop()
        cls = dict(self.stack[-1][1]).get("class") if self.stack else None
        if tag == "h1":
            self.out.append("title " + self.text)
        elif tag == "h2":
            self.caption = self.text
        elif tag == "span" and cls == "fields":
            self.out.append("field " + self.text)
        elif tag == "span" and cls == "signatures":
            self.out.append("sign " + self.text)
        elif tag in ("th", "td"):
            self.tables[-1][("head" if tag == "th" else "body")][-1].append(
                (self.text, int(a.get("rowspan", 1)), int(a.get("colspan", 1))))
        self.text = ""
    def handle_data(self, d):
        self.text += d

def leaves(head):
    if len(head) == 1:
        return [c[0] for c in head[0]]
    second, out = iter(head[1]), []
    for text, rows, cols in head[0]:
        out += [text] if rows == 2 else [next(second)[0] for _ in range(cols)]
    return out

p = Page()
p.caption = None
p.feed(open(sys.argv[1], encoding="utf-8").read())
print("\n".join(o for o in p.out if not o.startswith("sign")))
for t in p.tables:
    cols = leaves(t["head"])
    print("table %s: %d columns, %d header rows, %d rows" % (t["caption"], len(cols), len(t["head"]), len(t["body"])))
    want = {"A": ["单位", "案次", "人次", "集体访案次", "集体访人次"], "D": ["渠道名称", "案次", "人次"],
            "t": ["案号", "人次", "典型意义"]}.get(t["caption"][0])
    for r in t["body"]:
        if want and len(r) == len(cols):
            print("  " + " ".join(r[cols.index(w)][0] or "-" for w in want))
        elif len(r) == 1:
            print("  " + r[0][0] + " (over %d columns)" % r[0][2])
print("\n".join(o for o in p.out if o.startswith("sign")))
PY

# By hand, 2026Q3: LYS received cases 1 (1 person), 2 (6 persons: collective, 5 or more),
# 3 (a letter, 1): 3 cases, 8 persons, 1 collective of 6; LSQ case 4 (a call, 2 persons);
# the total 4 and 10. Case 5 is of 2026Q4. By channel: visits 2 (7), letters 1 (1), calls
# 1 (2). Part A has 45 columns, 3 ungrouped before the groups, so two header rows; B, C, D
# and month one row each; B has a row per leader of LYS (4), C one per category of the
# rules (14) and the total, D one per channel (8) and the total, month three and the total.
test_expect_success 'html: the form, its fields, every part with its heads and figures, the signature lines' '
	petition report quarter --period 2026Q3 --format html >q3.html &&
	$PY page.py q3.html >got &&
	cat >expect <<-\EOF &&
	title 工会领导干部接访工作统计报告表
	field 填报单位：临沂市总工会<&>
	field 统计期间：2026Q3（2026-07-01 至 2026-09-30）
	table A 单位汇总 2026Q3: 45 columns, 2 header rows, 3 rows
	  临沂市总工会<&> 3 8 1 6
	  兰山区总工会 1 2 0 0
	  合计 4 10 1 6
	table B 领导干部接访 2026Q3: 13 columns, 1 header rows, 4 rows
	table C 类别与办理结果 2026Q3: 12 columns, 1 header rows, 15 rows
	table D 信访渠道 2026Q3: 4 columns, 1 header rows, 9 rows
	  来访 2 7
	  来信 1 1
	  来电 1 2
	  电子邮件 0 0
	  传真 0 0
	  网上 0 0
	  上级转送 0 0
	  12351热线 0 0
	  合计 4 10
	table month 逐月情况 2026Q3: 6 columns, 1 header rows, 4 rows
	table typical 典型案例 2026Q3: 11 columns, 1 header rows, 1 rows
	  LYS-2026-000002 6 <集体>讨薪 & 督促
	sign 负责人：
	sign 填报人：
	sign 填报日期：
	EOF
	test_cmp expect got &&
	grep -q "临沂市总工会&lt;&amp;&gt;" q3.html &&
	grep -q "&lt;集体&gt;讨薪 &amp; 督促" q3.html &&
	! grep -q "<&>\|<集体>" q3.html &&
	grep -q "@page { size: A4 landscape" q3.html &&
	! grep -qi "<script\|<link\|src=" q3.html
'

test_expect_success 'html: the groups of part A over their columns' '
	$PY - q3.html >got <<-\PY &&
	import re, sys
	page = open(sys.argv[1], encoding="utf-8").read()
	first = re.search(r"<thead>\n<tr>(.*?)</tr>", page).group(1)
	print(" ".join("%s/%s" % (m[1], m[0] or "1") for m in re.findall(r"<th(?: (?:col|row)span=\"(\d+)\")?>([^<]*)</th>", first)))
	PY
	echo "单位代码/2 单位/2 级别/2 接访日/5 受理/8 来信/3 办理结果/12 超期/2 复查复核/4 满意度/4 重要事项/2 协调会议/2 比率/2" >expect &&
	test_cmp expect got
'

test_expect_success 'html: an empty part says 无; one part asked for is still the whole form' '
	petition report quarter --period 2026Q3 --unit LSQ --part B -o b.html &&
	test "$(stat -c %a b.html)" = 600 &&
	$PY page.py b.html >got &&
	cat >expect <<-\EOF &&
	title 工会领导干部接访工作统计报告表
	field 填报单位：兰山区总工会
	field 统计期间：2026Q3（2026-07-01 至 2026-09-30）
	table B 领导干部接访 2026Q3: 13 columns, 1 header rows, 1 rows
	  无 (over 13 columns)
	sign 负责人：
	sign 填报人：
	sign 填报日期：
	EOF
	test_cmp expect got
'

# openpyxl: a sheet per part named by its title; part A's title in A1, its groups merged
# over their columns in row 2 (接访日 over D2:H2, the 5 columns after the 3 ungrouped,
# which span rows 2 and 3), the header frozen under row 3, A4 (paper 9) landscape; the
# figures as numbers, the codes as text.
test_expect_success 'xlsx: a sheet per part, grouped and frozen heads, A4 landscape, numbers as numbers' '
	petition report quarter --period 2026Q3 -o q3.xlsx &&
	test "$(stat -c %a q3.xlsx)" = 600 &&
	$PY - q3.xlsx >got <<-\PY &&
	import sys, openpyxl
	wb = openpyxl.load_workbook(sys.argv[1])
	print(" | ".join(wb.sheetnames))
	a = wb["A 单位汇总 2026Q3"]
	print(a["A1"].value, a.freeze_panes, a.page_setup.paperSize, a.page_setup.orientation)
	merged = sorted(str(r) for r in a.merged_cells.ranges)
	print("D2:H2" in merged, "A2:A3" in merged, a["D2"].value, a["D3"].value)
	cols = [a.cell(3, c).value or a.cell(2, c).value for c in range(1, a.max_column + 1)]
	for r in range(4, a.max_row + 1):
	    row = [a.cell(r, c) for c in range(1, a.max_column + 1)]
	    print(" ".join("%s:%s" % (row[cols.index(k)].value, row[cols.index(k)].data_type)
	                   for k in ("单位代码", "单位", "案次", "人次", "办结率%")))
	d = wb["D 信访渠道 2026Q3"]
	print(d.freeze_panes, d["A3"].value, d["C3"].value, d["D3"].value)
	PY
	cat >expect <<-\EOF &&
	A 单位汇总 2026Q3 | B 领导干部接访 2026Q3 | C 类别与办理结果 2026Q3 | D 信访渠道 2026Q3 | month 逐月情况 2026Q3 | typical 典型案例 2026Q3
	A 单位汇总 2026Q3 A4 9 landscape
	True True 接访日 应接访日
	LYS:s 临沂市总工会<&>:s 3:n 8:n 0:n
	LSQ:s 兰山区总工会:s 1:n 2:n 0:n
	total:s 合计:s 4:n 10:n 0:n
	A3 visit 2 7
	EOF
	test_cmp expect got
'

# The roll-up as a form: with no submission received, part A is the office's own row and
# the total; the status lists the 17 units below the city in the default rules (12
# counties and districts, 3 development zones, 蒙山 and 临矿), none submitted, with the
# columns the CSV has.
test_expect_success 'html: the roll-up; the format from -o; xlsx on a terminal is refused (64)' '
	petition report quarter --period 2026Q3 --format html -o q3.out && cmp q3.out q3.html &&
	petition report rollup --period 2026Q3 -o rollup.html &&
	$PY page.py rollup.html | grep "^table" >got &&
	printf "%s\n" "table A 单位汇总 2026Q3: 45 columns, 2 header rows, 2 rows" \
		"table status 报送情况 2026Q3: $(petition report rollup --period 2026Q3 --format csv |
			sed -n "/^status /{n;p;}" | tr "," "\n" | wc -l) columns, 1 header rows, 17 rows" >expect &&
	test_cmp expect got &&
	script -qec "petition report quarter --period 2026Q3 --format xlsx" /dev/null >tty.out;
	grep -q "xlsx is a binary file" tty.out
'

test_done
