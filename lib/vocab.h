/* vocab: every code list of the toolkit, each code with its Chinese label and the other
 * names accepted for it on input, in one place: channels, case event kinds (with the keys
 * of their data), case states, step actions and step states, outcomes, review decisions,
 * satisfaction, objection answers, ways of delivery, reception forms and kinds, unit levels.
 *
 * The code is what the database stores and the rules name; the label is what a clerk
 * reads; aliases are what offices' spreadsheets and clerks type. Lists are in a fixed
 * order where an enum indexes them (enum pt_route_action, enum pt_level).
 *
 * Floor: by what it means vocab is a model module, but the rules (core) validate channels,
 * step actions, event kinds, forms and levels against it, and a module includes only its
 * own floor or below. So vocab sits on the core floor and depends on base only (lib/README).
 *
 * Ownership: everything returned is static and borrowed. */
#ifndef PT_VOCAB_H
#define PT_VOCAB_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct pt_vocab {
	const char *code;        /* as stored and as the rules write it */
	const char *label;       /* in Chinese */
	const char *aliases;     /* other names accepted on input, '|'-separated; NULL for none */
	const char *keys;        /* event kinds: the keys of their data, space-separated; else NULL */
};

enum pt_vocab_list {
	PT_VOCAB_CHANNEL,        /* how a petition came (petition-intake(1)); codes and aliases in any ASCII case */
	PT_VOCAB_EVENT,          /* case events a deadline can count from or be met by */
	PT_VOCAB_STATE,          /* states of a case (case.h) */
	PT_VOCAB_ACTION,         /* what a step's holder does, in enum pt_route_action order */
	PT_VOCAB_STEP_STATE,     /* states of a step */
	PT_VOCAB_OUTCOME,        /* a case's answer */
	PT_VOCAB_DECISION,       /* a review's (复查, 复核) decision */
	PT_VOCAB_SATISFACTION,   /* the petitioner's */
	PT_VOCAB_OBJECTION_ANSWER, /* the transferring body's answer to an objection */
	PT_VOCAB_DELIVERY,       /* how a written reply or decision was delivered (送达) */
	PT_VOCAB_FORM,           /* forms of reception (petition-schedule(1)) */
	PT_VOCAB_RECEPTION_KIND, /* a reception day or a coordination-group meeting */
	PT_VOCAB_LEVEL,          /* a unit's level, in enum pt_level order */
	PT_VOCAB_NLISTS
};

/* The longest list; room for pt_vocab_codes(). */
#define PT_VOCAB_MAX 48

/* What a holder does: the index into PT_VOCAB_ACTION. */
enum pt_route_action { PT_ACT_OPEN, PT_ACT_INSTRUCT, PT_ACT_HANDLE, PT_ACT_SUPERVISE };
/* A unit's level: the index into PT_VOCAB_LEVEL. */
enum pt_level { PT_LEVEL_PROVINCE, PT_LEVEL_CITY, PT_LEVEL_COUNTY, PT_LEVEL_TOWNSHIP };

size_t pt_vocab_count(enum pt_vocab_list l);
/* Entry i of the list, or NULL past its end. */
const struct pt_vocab *pt_vocab_at(enum pt_vocab_list l, size_t i);
/* Code i of the list, or NULL past its end. */
const char *pt_vocab_code_at(enum pt_vocab_list l, size_t i);
/* The index of a code (exactly as stored), or -1. */
int pt_vocab_index(enum pt_vocab_list l, const char *code);
/* The code a name stands for: a code, label or alias; NULL when none. */
const char *pt_vocab_code(enum pt_vocab_list l, const char *name);
/* The label of a code; the code itself when it is not in the list. */
const char *pt_vocab_label(enum pt_vocab_list l, const char *code);
/* Fill out[] with the list's codes and a NULL after them (room for PT_VOCAB_MAX + 1); the
 * number of codes. For code that takes a NULL-terminated list of names. */
size_t pt_vocab_codes(enum pt_vocab_list l, const char **out);
/* Append the codes as "a, b, c<last_sep>d", for messages. */
void pt_vocab_join(enum pt_vocab_list l, struct pt_buf *b, const char *last_sep);
/* Whether word is one of the '|'-separated names in list, ignoring ASCII case (for
 * aliases, and for the spreadsheet headers intake accepts). */
bool pt_vocab_in_list(const char *word, const char *list);
/* For a word that is not a name of list l: the name it most likely meant (a code, label or
 * alias at most two edits away, or one the word begins with or that begins with it:
 * "transferred" gives "transfer"), or NULL. */
const char *pt_vocab_closest(enum pt_vocab_list l, const char *word);
/* Append " (did you mean 'NAME'?)" for pt_vocab_closest(), or nothing. */
void pt_vocab_suggest(enum pt_vocab_list l, const char *word, struct pt_buf *b);
/* The accepted names for messages and man pages, where a list has such a text (channels);
 * else NULL. */
const char *pt_vocab_help(enum pt_vocab_list l);

#endif
