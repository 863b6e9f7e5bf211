#include "vocab.h"

#include <string.h>
#include <strings.h>

static const struct pt_vocab channels[] = {
	{ "visit", "来访", "来访|走访|上访|visit", NULL },
	{ "letter", "来信", "来信|书信|信件|letter", NULL },
	{ "phone", "来电", "来电|电话|phone|call", NULL },
	{ "email", "电子邮件", "电子邮件|邮件|email|e-mail", NULL },
	{ "fax", "传真", "传真|fax", NULL },
	{ "online", "网上", "网上|网上信访|网络|信息网络|online", NULL },
	{ "transfer", "上级转送", "上级转送|转送交办|上级转送交办|上级交办|交办|transfer", NULL },
	{ "hotline", "12351热线", "12351|热线|12351热线|12345|12345热线|hotline", NULL },
};

/* Every transition's data starts with from and on and ends with to (case.h); route and
 * transfer add the rules' hash. "received" is the petition's receipt (its intake), and
 * quarter_end and report_submitted are a unit's, not a case's. */
static const struct pt_vocab events[] = {
	{ "received", "收到", NULL, NULL },
	{ "routed", "交办", NULL, "from on rule steps_cancelled steps manual holder action note rules_sha256 to" },
	{ "transferred", "转办", NULL, "from on mode unit body note steps_cancelled rules_sha256 to" },
	{ "accepted", "受理", NULL, "from on note notified_on to" },
	{ "rejected", "不予受理", NULL, "from on refer reason notified_on steps_cancelled to" },
	/* The petitioner told in writing whether the case is accepted (书面告知): the notified_on
	 * day of an accepted or rejected event, never an event of its own. */
	{ "notified", "书面告知", NULL, NULL },
	{ "instructed", "阅批", NULL, "from on by text forced reason step to" },
	{ "objected", "提出异议", NULL, "from on reason to" },
	{ "objection_answered", "异议答复", NULL, "from on outcome text steps_cancelled to" },
	{ "extended", "延期", NULL, "from on deadline days reason approver told_on due_before due to" },
	{ "resolved", "办结", NULL, "from on outcome text steps_done to" },
	{ "reply_delivered", "答复送达", NULL, "from on how note to" },
	{ "review_requested", "申请复查", NULL, "from on unit body step text to" },
	{ "reviewed", "复查", NULL, "from on step unit body outcome text to" },
	{ "review_delivered", "复查意见送达", NULL, "from on how note to" },
	{ "rereview_requested", "申请复核", NULL, "from on unit body step text to" },
	{ "hearing", "听证", NULL, "from on until deadline days note to" },
	{ "rereviewed", "复核", NULL, "from on step unit body outcome text to" },
	{ "rereview_delivered", "复核意见送达", NULL, "from on how note to" },
	{ "closed", "结案", NULL, "from on note to" },
	{ "quarter_end", "季度末", NULL, NULL },
	{ "report_submitted", "报表报送", NULL, NULL },
	{ "report_received", "报表接收", NULL, NULL },
	{ "marked_important", "重要信访事项", NULL, "from on by note step added to" },
	{ "unmarked_important", "取消重要信访事项", NULL, "from on by reason steps_cancelled to" },
	{ "down_visited", "带案下访", NULL, "from on place leaders note steps to" },
	{ "reported_back", "报告办理结果", NULL, "from on unit outcome text step to" },
	{ "repeat_marked", "重复件更正", NULL, "from on repeat of reason to" },
	{ "sent", "拆阅分送", NULL, "from on holder action note steps_cancelled rules_sha256 to" },
	{ "marked_typical", "典型案例", NULL, "from on by note to" },
	{ "unmarked_typical", "取消典型案例", NULL, "from on by reason to" },
	/* An unnamed letter opened by the office's clerk (拆阅): the step_done event of its open
	 * step, never an event of its own (casefile.h). */
	{ "opened", "拆阅", NULL, NULL },
};

static const struct pt_vocab states[] = {
	{ "registered", "登记", NULL, NULL },
	{ "assigned", "已交办", NULL, NULL },
	{ "accepted", "受理", NULL, NULL },
	{ "resolved", "办结", NULL, NULL },
	{ "review_requested", "申请复查", NULL, NULL },
	{ "reviewed", "复查", NULL, NULL },
	{ "rereview_requested", "申请复核", NULL, NULL },
	{ "rereviewed", "复核", NULL, NULL },
	{ "closed", "结案", NULL, NULL },
	{ "rejected", "不予受理", NULL, NULL },
	{ "transferred_out", "转送", NULL, NULL },
	{ "objecting", "异议待核实", NULL, NULL },
	{ "objected", "异议退回", NULL, NULL },
};

static const struct pt_vocab actions[] = {
	{ "open", "拆阅", NULL, NULL },
	{ "instruct", "阅批", NULL, NULL },
	{ "handle", "办理", NULL, NULL },
	{ "supervise", "督办", NULL, NULL },
};

static const struct pt_vocab step_states[] = {
	{ "pending", "待办", NULL, NULL },
	{ "done", "已办", NULL, NULL },
	{ "cancelled", "撤销", NULL, NULL },
};

static const struct pt_vocab outcomes[] = {
	{ "支持", "支持", "予以支持", NULL },
	{ "部分支持", "部分支持", NULL, NULL },
	{ "解释", "解释", "解释疏导", NULL },
	{ "不支持", "不支持", "不予支持", NULL },
};

static const struct pt_vocab decisions[] = {
	{ "维持", "维持", NULL, NULL },
	{ "变更", "变更", NULL, NULL },
	{ "撤销", "撤销", NULL, NULL },
};

/* The transferring body's answer to an objection (核实同意 or not). */
static const struct pt_vocab objection_answers[] = {
	{ "agreed", "同意退回", "同意|核实同意|agreed", NULL },
	{ "refused", "不同意退回", "不同意|refused", NULL },
};

/* How a written reply or decision reached the petitioner (送达). */
static const struct pt_vocab deliveries[] = {
	{ "in-person", "当面送达", "当面|直接送达|in-person", NULL },
	{ "post", "邮寄送达", "邮寄|挂号信|post", NULL },
	{ "sms", "短信送达", "短信|sms", NULL },
	{ "online", "网上送达", "网上|网络|电子送达|online", NULL },
	{ "notice", "公告送达", "公告|notice", NULL },
};

static const struct pt_vocab satisfactions[] = {
	{ "满意", "满意", NULL, NULL },
	{ "基本满意", "基本满意", NULL, NULL },
	{ "不满意", "不满意", NULL, NULL },
};

static const struct pt_vocab forms[] = {
	{ "定点接访", "定点接访", NULL, NULL },
	{ "约访", "约访", NULL, NULL },
	{ "带案下访", "带案下访", NULL, NULL },
};

static const struct pt_vocab reception_kinds[] = {
	{ "reception", "接访日", NULL, NULL },
	{ "meeting", "联席会议", NULL, NULL },
};

static const struct pt_vocab levels[] = {
	{ "province", "省级", NULL, NULL },
	{ "city", "市级", NULL, NULL },
	{ "county", "县级", NULL, NULL },
	{ "township", "乡镇", NULL, NULL },
};

#define LIST(v) v, sizeof v / sizeof *v
/* pt_vocab_codes() fills arrays of PT_VOCAB_MAX + 1: the longest list must fit. */
_Static_assert(sizeof events / sizeof *events <= PT_VOCAB_MAX, "PT_VOCAB_MAX is too small for the events");

static const struct {
	const struct pt_vocab *v;
	size_t n;
	bool nocase;             /* codes and aliases in any ASCII case (English typed by hand) */
	const char *help;
} lists[PT_VOCAB_NLISTS] = {
	[PT_VOCAB_CHANNEL] = { LIST(channels), true,
			       "visit/来访/走访, letter/来信/书信, phone/来电/电话, email/电子邮件, fax/传真, "
			       "online/网上, transfer/上级转送/转送交办, hotline/12351/12345/热线" },
	[PT_VOCAB_EVENT] = { LIST(events), false, NULL },
	[PT_VOCAB_STATE] = { LIST(states), false, NULL },
	[PT_VOCAB_ACTION] = { LIST(actions), false, NULL },
	[PT_VOCAB_STEP_STATE] = { LIST(step_states), false, NULL },
	[PT_VOCAB_OUTCOME] = { LIST(outcomes), false, NULL },
	[PT_VOCAB_DECISION] = { LIST(decisions), false, NULL },
	[PT_VOCAB_SATISFACTION] = { LIST(satisfactions), false, NULL },
	[PT_VOCAB_OBJECTION_ANSWER] = { LIST(objection_answers), false, NULL },
	[PT_VOCAB_DELIVERY] = { LIST(deliveries), false, NULL },
	[PT_VOCAB_FORM] = { LIST(forms), false, NULL },
	[PT_VOCAB_RECEPTION_KIND] = { LIST(reception_kinds), false, NULL },
	[PT_VOCAB_LEVEL] = { LIST(levels), false, NULL },
};

/* Whether word is one of the '|'-separated names; only channels ignore ASCII case, since
 * the other lists are Chinese, or codes stored as they are. */
static bool in_list(const char *word, const char *list, bool nocase)
{
	size_t n = strlen(word);

	for (const char *p = list; *p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);

		if (len == n && !(nocase ? strncasecmp(p, word, n) : strncmp(p, word, n)))
			return true;
		p += len + (bar != NULL);
	}
	return false;
}

bool pt_vocab_in_list(const char *word, const char *list)
{
	return in_list(word, list, true);
}

size_t pt_vocab_count(enum pt_vocab_list l)
{
	return lists[l].n;
}

const struct pt_vocab *pt_vocab_at(enum pt_vocab_list l, size_t i)
{
	return i < lists[l].n ? &lists[l].v[i] : NULL;
}

const char *pt_vocab_code_at(enum pt_vocab_list l, size_t i)
{
	return i < lists[l].n ? lists[l].v[i].code : NULL;
}

int pt_vocab_index(enum pt_vocab_list l, const char *code)
{
	for (size_t i = 0; i < lists[l].n; i++)
		if (!strcmp(lists[l].v[i].code, code))
			return (int)i;
	return -1;
}

const char *pt_vocab_code(enum pt_vocab_list l, const char *name)
{
	for (size_t i = 0; i < lists[l].n; i++) {
		const struct pt_vocab *v = &lists[l].v[i];

		bool nocase = lists[l].nocase;

		if (!(nocase ? strcasecmp(name, v->code) : strcmp(name, v->code)) || !strcmp(name, v->label) ||
		    (v->aliases && in_list(name, v->aliases, nocase)))
			return v->code;
	}
	return NULL;
}

const char *pt_vocab_label(enum pt_vocab_list l, const char *code)
{
	int i = pt_vocab_index(l, code);

	return i < 0 ? code : lists[l].v[i].label;
}

size_t pt_vocab_codes(enum pt_vocab_list l, const char **out)
{
	size_t n = lists[l].n;

	for (size_t i = 0; i < n; i++)
		out[i] = lists[l].v[i].code;
	out[n] = NULL;
	return n;
}

void pt_vocab_join(enum pt_vocab_list l, struct pt_buf *b, const char *last_sep)
{
	size_t n = lists[l].n;

	for (size_t k = 0; k < n; k++)
		pt_buf_addf(b, "%s%s", k == 0 ? "" : k + 1 == n ? last_sep : ", ", lists[l].v[k].code);
}

const char *pt_vocab_help(enum pt_vocab_list l)
{
	return lists[l].help;
}

/* Whether one of a and b begins with the other, the shorter at least 3 bytes long. */
static bool prefix_of_other(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), n = la < lb ? la : lb;

	return n >= 3 && !strncasecmp(a, b, n);
}

const char *pt_vocab_closest(enum pt_vocab_list l, const char *word)
{
	const char *names[2 * PT_VOCAB_MAX];
	const char *near, *prefix = NULL;
	size_t n = 0;

	for (size_t i = 0; i < lists[l].n; i++) {
		names[n++] = lists[l].v[i].code;
		names[n++] = lists[l].v[i].label;
		if (prefix_of_other(word, lists[l].v[i].code))
			prefix = prefix ? "" : lists[l].v[i].code; /* two: none */
	}
	near = pt_closest(word, names, n);
	return near ? near : prefix && *prefix ? prefix : NULL;
}

void pt_vocab_suggest(enum pt_vocab_list l, const char *word, struct pt_buf *b)
{
	const char *near = pt_vocab_closest(l, word);

	if (near)
		pt_buf_addf(b, " (did you mean '%s'?)", near);
}
