/* gen: write N synthetic petitions as CSV to standard output, for bench/intake.sh.
 *
 *   cc -O2 -o gen bench/gen.c && ./gen 1000000 > data.csv
 *
 * The rows are what a Linyi union office's register export looks like: the English header
 * petition-intake(1) accepts, CRLF line ends (Excel, WPS), Chinese names and employers, valid
 * GB 11643 ID numbers and mobile numbers (GB 11643-1999), the units, leaders and categories of
 * the default rules (examples/rules.yaml), and summaries of 30-120 characters that often hold
 * commas and double quotes and sometimes a line break, so that most of them are quoted
 * fields. Dates run from 2025-01-01 to 2026-10-31 in file order (one register, oldest
 * first). About one row in twenty is a petitioner coming back, with the same ID number, which
 * exercises the repeat-petition check. Every row is valid: petition-intake must add them all.
 *
 * Deterministic: a fixed seed and our own xorshift64* generator, so the same N gives the
 * same bytes on every machine. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof *(a))

/* ---- random numbers ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1du;
}

/* Uniform in [0, n). The modulo bias is far below anything a benchmark could notice. */
static unsigned below(unsigned n)
{
	return (unsigned)((rnd() >> 11) % n);
}

/* true with probability pct/100 */
static int chance(unsigned pct)
{
	return below(100) < pct;
}

#define PICK(a) ((a)[below(NELEM(a))])

/* ---- civil dates (Howard Hinnant's algorithms) ---- */

static long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* ---- word lists ---- */

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
	"林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "程",
	"曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁",
	"魏", "薛", "叶", "阎", "潘", "杜", "戴", "夏", "田", "任", "姜", "范", "方", "石", "姚",
	"谭", "邹", "金", "陆", "郝", "孔", "白", "崔", "康", "毛", "邱", "秦", "史", "顾", "侯",
	"邵", "孟", "庞", "颜", "厉", "诸葛", "欧阳", "司马",
};

static const char *const given[] = {
	"伟", "芳", "娜", "秀", "英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰",
	"娟", "涛", "明", "超", "兰", "霞", "平", "刚", "桂", "华", "玉", "萍", "红", "飞", "鹏",
	"波", "宁", "斌", "辉", "健", "海", "峰", "庆", "凤", "梅", "志", "文", "东", "林", "成",
	"春", "雪", "云", "丹", "龙", "建", "国", "家", "荣", "德", "福", "贵", "金", "银", "宝",
	"山", "水", "学", "忠", "新", "利", "永", "祥", "振", "兴", "昌", "晓", "立", "玲", "莉",
	"爱", "秋", "冬", "彬", "鑫", "浩", "宇", "欣", "怡", "佳", "琳", "蕾", "倩", "婷",
};

static const char *const places[] = {
	"临沂", "兰山", "罗庄", "河东", "沂南", "郯城", "沂水", "兰陵", "费县", "平邑", "莒南",
	"蒙阴", "临沭", "山东",
};

static const char *const brands[] = {
	"宏达", "鑫源", "华盛", "金鼎", "恒泰", "正大", "东方", "远通", "鲁南", "沂蒙", "新程",
	"盛通", "永丰", "天元", "银河", "瑞祥", "兴业", "凯达", "中联", "恒信", "福瑞", "金锣",
	"立晨", "汇丰源", "三和", "佳美",
};

static const char *const trades[] = {
	"机械", "木业", "板材", "物流", "建筑工程", "食品", "纺织", "商贸", "化工", "陶瓷", "五金",
	"电子", "医药", "矿业", "塑料制品", "包装", "家具", "服装", "钢铁", "运输", "物业服务",
	"劳务派遣", "餐饮管理", "保安服务",
};

static const char *const forms[] = {
	"有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司", "厂", "集团有限公司",
};

/* County codes of Linyi (3713xx) in GB/T 2260. */
static const char *const areas[] = {
	"371301", "371302", "371311", "371312", "371321", "371322", "371323", "371324", "371325",
	"371326", "371327", "371328", "371329",
};

static const char *const units[] = {
	"LSQ", "LZQ", "HDQ", "YNX", "TCX", "YSX", "LLX", "FX", "PYX", "JNX", "MYX", "LSX", "GXQ",
	"JKQ", "LGQ", "MSGW", "LKJT",
};

static const char *const leaders[] = { "王建国", "李文华", "张海燕", "刘志强" };

/* Categories of the default rules with rough weights, an alias a few rows use instead, and
 * what such petitions say. Some texts carry ASCII commas or double quotes on purpose. */
static const struct {
	const char *name;
	unsigned weight;
	const char *alias;
	const char *says[3];
} categories[] = {
	{ "劳动报酬", 30, "欠薪", { "公司自去年以来一直拖欠工资", "包工头拖欠农民工工资后下落不明",
				    "劳务派遣单位克扣工资,且不提供工资条" } },
	{ "社会保险", 14, "社保", { "单位未依法为其缴纳社会保险费",
				    "单位强迫职工签订所谓\"放弃社保承诺书\"", "企业少缴、漏缴养老保险" } },
	{ "劳动合同", 12, NULL, { "公司未与其签订书面劳动合同", "单位违法解除劳动合同,未支付经济补偿",
				  "公司以\"自愿离职\"为由拒绝支付补偿金" } },
	{ "工伤职业病", 8, "工伤", { "在工作中受伤后单位不予申报工伤", "患尘肺病多年,单位拒绝承担责任",
				     "工伤认定后企业拒不支付停工留薪期工资" } },
	{ "企业改制", 4, NULL, { "企业改制时未妥善安置职工", "改制后身份置换金至今未发放",
				 "国企改制时工龄买断标准不合理" } },
	{ "劳动安全卫生", 3, NULL, { "车间粉尘噪声严重,未发放劳动防护用品", "企业安全设施不全,存在事故隐患",
				     "单位未组织职业健康检查" } },
	{ "工时休假", 4, NULL, { "车间长期加班加点且不支付加班费", "单位不安排带薪年休假",
				 "公司实行\"单休\"且每天工作十二小时" } },
	{ "女职工权益", 3, NULL, { "女职工怀孕期间被调岗降薪", "单位不落实产假待遇",
				   "哺乳期女职工被要求上夜班" } },
	{ "困难帮扶", 6, NULL, { "家庭生活困难,申请工会帮扶救助", "本人身患重病,家庭无力承担医疗费",
				 "子女上学费用困难,申请金秋助学" } },
	{ "法律援助", 4, NULL, { "劳动争议案件需要律师代理", "无力支付仲裁诉讼费用,申请法律援助",
				 "不知如何收集证据申请仲裁" } },
	{ "民主管理", 3, NULL, { "职工代表大会多年未召开", "企业厂务不公开,福利分配不透明",
				 "集体合同签订未经职工讨论" } },
	{ "工会组织建设", 2, NULL, { "公司未依法建立工会组织", "工会主席由企业负责人亲属兼任",
				     "企业未按规定拨缴工会经费" } },
	{ "咨询", 5, NULL, { "咨询劳动争议仲裁的办理程序", "咨询经济补偿金的计算标准",
			     "咨询\"灵活就业\"人员如何参加社保" } },
	{ "其他", 2, NULL, { "单位拒不出具解除劳动关系证明", "企业拖欠住房公积金",
			     "公司扣押职工身份证原件" } },
};

/* Channels as clerks type them, with weights, and how a summary starts for each. */
static const struct {
	const char *name;
	unsigned weight;
	const char *opening;
} channels[] = {
	{ "来访", 35, "来访人反映" }, { "来信", 20, "来信反映" },     { "来电", 15, "来电人反映" },
	{ "网上", 14, "网民留言反映" }, { "上级转送", 6, "上级转来信访件反映" },
	{ "12351", 10, "12351热线来电反映" },
};

static const char *const details[] = {
	"多次向公司讨要未果",
	"曾向劳动监察部门投诉但问题至今未解决",
	"公司负责人称\"等有钱了再说\"",
	"涉及同车间职工多人",
	"本人家中老人患病急需用钱",
	"有考勤记录和工资条为证",
	"公司已停产,厂房大门紧锁",
	"经协商,企业答应月底前支付但未兑现",
	"劳动仲裁已经裁决,企业拒不履行",
	"单位人事部门互相推诿",
	"已持续近半年",
	"当地镇街工会曾经协调",
	"企业称系\"外包人员\",与公司无关",
	"部分工友已经返乡",
	"本人在该单位工作已满十年",
	"企业法定代表人已变更",
};

static const char *const demands[] = {
	"请求工会帮助追讨欠薪",
	"要求依法补缴社会保险",
	"希望工会出面协调解决",
	"请求提供法律援助",
	"要求单位支付经济补偿金",
	"请求依法维护其合法权益",
	"要求恢复原工作岗位",
	"希望得到困难职工帮扶",
	"请求给予政策解答",
	"恳请领导过问",
};

/* ---- building text ---- */

struct text {
	char buf[2048];
	size_t len;
	unsigned chars;  /* characters, counting a multi-byte one once */
};

static unsigned utf8_chars(const char *s)
{
	unsigned n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static void add(struct text *t, const char *s)
{
	size_t n = strlen(s);

	if (t->len + n + 1 > sizeof t->buf)
		return;
	memcpy(t->buf + t->len, s, n + 1);
	t->len += n;
	t->chars += utf8_chars(s);
}

static void addf(struct text *t, const char *fmt, long a, long b)
{
	char tmp[128];

	snprintf(tmp, sizeof tmp, fmt, a, b);
	add(t, tmp);
}

static void name(struct text *t)
{
	t->len = t->chars = 0;
	t->buf[0] = '\0';
	add(t, PICK(surnames));
	add(t, PICK(given));
	if (chance(70))
		add(t, PICK(given));
}

static void employer(struct text *t)
{
	t->len = t->chars = 0;
	t->buf[0] = '\0';
	add(t, PICK(places));
	add(t, PICK(brands));
	add(t, PICK(trades));
	add(t, PICK(forms));
}

/* A summary of 30-120 characters for a petition of category cat received by channel ch. */
static void summary(struct text *t, unsigned ch, unsigned cat, const char *employer_name)
{
	unsigned target = 30 + below(91), used = 0;
	int numbers = 0, asked = 0;

	t->len = t->chars = 0;
	t->buf[0] = '\0';
	add(t, channels[ch].opening);
	if (*employer_name && chance(50)) {
		add(t, "在");
		add(t, employer_name);
		add(t, "工作期间");
		add(t, "，");
	}
	add(t, categories[cat].says[below(3)]);
	for (int i = 0; t->chars < target && i < 16; i++) {
		struct text piece = { .len = 0 };
		unsigned k = below(NELEM(details));

		piece.buf[0] = '\0';
		switch (below(4)) {
		case 0: {
			/* One draw per statement: the order of a call's arguments is unspecified, and
			 * the output must not depend on the compiler. */
			long x, y;

			if (numbers++)
				continue;
			if (chance(50)) {
				x = 2000 + (long)below(300) * 100;
				y = 1 + (long)below(40);
				addf(&piece, "涉及金额约%ld元,共%ld人", x, y);
			} else {
				x = 1 + (long)below(18);
				y = 2500 + (long)below(60) * 50;
				addf(&piece, "已拖欠%ld个月,每月约%ld元", x, y);
			}
			break;
		}
		case 1:
			if (asked++)
				continue;
			add(&piece, PICK(demands));
			break;
		default:
			if (used & 1u << k)
				continue;
			used |= 1u << k;
			add(&piece, details[k]);
		}
		if (t->chars + 1 + piece.chars > 119)
			break;
		/* Clerks type a comma either way; about half of the time an ASCII one. */
		add(t, chance(50) ? "," : "，");
		add(t, piece.buf);
		if (chance(6) && t->chars < target && !(used & 1u << (k = below(NELEM(details)))) &&
		    t->chars + 3 + utf8_chars(details[k]) <= 119) {
			used |= 1u << k;
			add(t, "\n");  /* a line break typed with Alt+Enter in Excel */
			add(t, "另:");
			add(t, details[k]);
		}
	}
	while (t->chars < 29)
		add(t, "，请求尽快处理");
	add(t, "。");
}

/* ---- CSV ---- */

static void field(const char *s, int last)
{
	if (strpbrk(s, ",\"\r\n")) {
		putchar('"');
		for (; *s; s++) {
			if (*s == '"')
				putchar('"');
			putchar(*s);
		}
		putchar('"');
	} else {
		fputs(s, stdout);
	}
	fputs(last ? "\r\n" : ",", stdout);
}

/* ---- people ---- */

struct person {
	char name[64];
	char id[24];
	char phone[24];
	char employer[160];
};

static void id_number(char out[24])
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	static const char check[] = "10X98765432";
	long lo = days_from_civil(1960, 1, 1), hi = days_from_civil(2000, 12, 31);
	const char *area = PICK(areas);
	unsigned seq;
	int y, m, d, s = 0;

	civil_from_days(lo + (long)below((unsigned)(hi - lo + 1)), &y, &m, &d);
	seq = 1 + below(999);
	snprintf(out, 24, "%s%04d%02d%02d%03u", area, y, m, d, seq);
	for (int i = 0; i < 17; i++)
		s += (out[i] - '0') * w[i];
	out[17] = check[s % 11];
	out[18] = '\0';
}

static void phone(char out[24])
{
	unsigned second = 3 + below(7), a = below(10000), b = below(10000), c = below(10);

	switch (below(20)) {
	case 0:  /* as written on a form */
		snprintf(out, 24, "1%u%u-%04u-%04u", second, c, a, b);
		break;
	case 1:
		snprintf(out, 24, "+86 1%u%u %04u %04u", second, c, a, b);
		break;
	default:
		snprintf(out, 24, "1%u%u%04u%04u", second, c, a, b);
	}
}

static void new_person(struct person *p)
{
	struct text t;

	name(&t);
	snprintf(p->name, sizeof p->name, "%.63s", t.buf);
	if (chance(90))
		id_number(p->id);
	else
		p->id[0] = '\0';
	if (chance(85))
		phone(p->phone);
	else
		p->phone[0] = '\0';
	if (chance(80)) {
		employer(&t);
		snprintf(p->employer, sizeof p->employer, "%.159s", t.buf);
	} else {
		p->employer[0] = '\0';
	}
}

static unsigned weighted_channel(void)
{
	unsigned total = 0, r;

	for (size_t i = 0; i < NELEM(channels); i++)
		total += channels[i].weight;
	r = below(total);
	for (size_t i = 0; i < NELEM(channels); i++) {
		if (r < channels[i].weight)
			return (unsigned)i;
		r -= channels[i].weight;
	}
	return 0;
}

static unsigned weighted_category(void)
{
	unsigned total = 0, r;

	for (size_t i = 0; i < NELEM(categories); i++)
		total += categories[i].weight;
	r = below(total);
	for (size_t i = 0; i < NELEM(categories); i++) {
		if (r < categories[i].weight)
			return (unsigned)i;
		r -= categories[i].weight;
	}
	return 0;
}

static long persons(void)
{
	unsigned r = below(100);

	if (r < 85)
		return 1;
	if (r < 95)
		return 2 + (long)below(4);   /* 2-5 */
	return 6 + (long)below(25);      /* 6-30 */
}

#define RECENT 4096  /* petitioners who may come back */

int main(int argc, char **argv)
{
	static struct person recent[RECENT];
	long first = days_from_civil(2025, 1, 1), last = days_from_civil(2026, 10, 31);
	long span = last - first + 1;
	unsigned long long n;
	size_t nrecent = 0;
	char *end;
	struct text sum;

	if (argc != 2 || (n = strtoull(argv[1], &end, 10), *end) || argv[1][0] == '-') {
		fprintf(stderr, "usage: gen N\n");
		return 64;
	}
	static char obuf[1 << 16];
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	fputs("received_on,channel,petitioner,id_number,phone,employer,unit,received_by,category,"
	      "persons,addressed_to,summary,external_id\r\n", stdout);
	for (unsigned long long i = 0; i < n; i++) {
		struct person fresh, *p;
		char date[16], count[16], ext[32];
		unsigned ch = weighted_channel(), cat;
		const char *chan = channels[ch].name;
		const char *by = "", *to = "", *unit = "";
		int y, m, d;

		/* In file order, oldest first: row i falls on day i*span/n. */
		civil_from_days(first + (long)(i * (unsigned long long)span / n), &y, &m, &d);
		snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
		if (nrecent && chance(5)) {
			p = &recent[below((unsigned)nrecent)];
		} else {
			new_person(&fresh);
			p = &fresh;
			if (nrecent < RECENT)
				recent[nrecent++] = fresh;
			else
				recent[below(RECENT)] = fresh;
		}
		if (!chance(30))
			unit = PICK(units);
		else if (chance(50))
			unit = "LYS";
		if (!strcmp(chan, "来访") && chance(60))
			by = PICK(leaders);
		if (!strcmp(chan, "来信") && chance(25))
			to = PICK(leaders);
		snprintf(count, sizeof count, "%ld", persons());
		snprintf(ext, sizeof ext, "B%04d-%07llu", y, i + 1);
		cat = weighted_category();
		summary(&sum, ch, cat, p->employer);

		field(date, 0);
		field(chan, 0);
		field(p->name, 0);
		field(p->id, 0);
		field(p->phone, 0);
		field(p->employer, 0);
		field(unit, 0);
		field(by, 0);
		field(categories[cat].alias && chance(5) ? categories[cat].alias : categories[cat].name, 0);
		field(count, 0);
		field(to, 0);
		field(sum.buf, 0);
		field(ext, 1);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("gen: stdout");
		return 74;
	}
	return 0;
}
