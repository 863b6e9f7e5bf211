/* Unit tests of lib/vocab: look-ups by code, label and alias, and the lists that enums
 * index, in their order. */
#include "../../lib/vocab.h"
#include "tap.h"

#include <string.h>

int main(void)
{
	const char *codes[PT_VOCAB_MAX + 1];
	struct pt_buf b = PT_BUF_INIT;

	is_str(pt_vocab_code(PT_VOCAB_CHANNEL, "走访"), "visit", "a channel by alias");
	is_str(pt_vocab_code(PT_VOCAB_CHANNEL, "VISIT"), "visit", "channel codes in any ASCII case");
	is_str(pt_vocab_code(PT_VOCAB_CHANNEL, "12351热线"), "hotline", "a channel by its label");
	ok(pt_vocab_code(PT_VOCAB_CHANNEL, "上门") == NULL, "an unknown channel");
	is_str(pt_vocab_label(PT_VOCAB_CHANNEL, "visit"), "来访", "a channel's label");
	is_str(pt_vocab_label(PT_VOCAB_CHANNEL, "pigeon"), "pigeon", "an unknown code is its own label");
	ok(pt_vocab_help(PT_VOCAB_CHANNEL) != NULL && pt_vocab_help(PT_VOCAB_OUTCOME) == NULL,
	   "only channels have a help text");

	is_str(pt_vocab_code(PT_VOCAB_OUTCOME, "予以支持"), "支持", "an outcome by alias");
	ok(pt_vocab_code(PT_VOCAB_STATE, "Registered") == NULL, "other lists match exactly");
	ok(pt_vocab_index(PT_VOCAB_STATE, "objected") == 12, "the last state");

	is_str(pt_vocab_code_at(PT_VOCAB_ACTION, PT_ACT_INSTRUCT), "instruct", "enum pt_route_action indexes the actions");
	is_str(pt_vocab_at(PT_VOCAB_ACTION, PT_ACT_SUPERVISE)->label, "督办", "an action's label");
	ok(pt_vocab_at(PT_VOCAB_ACTION, 4) == NULL && pt_vocab_code_at(PT_VOCAB_ACTION, 4) == NULL, "past the end");
	is_str(pt_vocab_code_at(PT_VOCAB_LEVEL, PT_LEVEL_TOWNSHIP), "township", "enum pt_level indexes the levels");

	for (int k = 0; k < PT_VOCAB_NLISTS; k++) {
		enum pt_vocab_list l = (enum pt_vocab_list)k;
		size_t n = pt_vocab_codes(l, codes);
		bool fine = n == pt_vocab_count(l) && n > 0 && n <= PT_VOCAB_MAX && !codes[n];

		for (size_t i = 0; fine && i < n; i++)
			fine = pt_vocab_at(l, i)->label && pt_vocab_index(l, codes[i]) == (int)i;
		ok(fine, "list %d: codes in order, each labelled, at most PT_VOCAB_MAX", k);
	}
	ok(pt_vocab_index(PT_VOCAB_EVENT, "resolved") > 0 &&
	   strstr(pt_vocab_at(PT_VOCAB_EVENT, (size_t)pt_vocab_index(PT_VOCAB_EVENT, "resolved"))->keys, "outcome"),
	   "a resolved event carries its outcome");

	pt_vocab_join(PT_VOCAB_DECISION, &b, " or ");
	is_str(b.buf, "维持, 变更 or 撤销", "codes joined for a message");
	pt_buf_release(&b);
	return done_testing();
}
