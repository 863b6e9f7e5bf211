/* err: one failure, carried from where it happened to the command that reports it.
 *
 * Every library function that can fail takes a `struct pt_err *` and returns 0 or -1.
 * `kind` is one of the exit statuses of petition(1), so a command returns it as is.
 * The message is owned by the struct: pt_err_release() frees it; setting an error
 * that is already set replaces it.
 *
 * An error about a field of the input (a missing reason, an unknown outcome) says which
 * field, by the library's name for it ("reason", "outcome"), and leaves the name out of the
 * message: the caller puts it in as its user knows it (a command its option, "--reason";
 * pt_err_format() the field's own name). */
#ifndef PT_ERR_H
#define PT_ERR_H

#include <stdarg.h>
#include <stddef.h>

#include "buf.h" /* PT_PRINTF */

enum pt_status {
	PT_OK = 0,
	PT_NEGATIVE = 1,   /* findings, overdue cases, problems found by a check */
	PT_EUSAGE = 64,
	PT_EDATA = 65,     /* bad input data; nothing was written */
	PT_ENOINPUT = 66,  /* an input file or a named case does not exist */
	PT_EINTERNAL = 70,
	PT_ECANTCREAT = 73,
	PT_EIO = 74,
	PT_EBUSY = 75,     /* database busy or locked past the timeout */
	PT_ECONFIG = 78    /* bad rules file or configuration */
};

/* A field named in a message: its name goes in at byte `at` of the message. */
struct pt_err_field {
	const char *name;  /* static: "reason"; NULL when unused */
	size_t at;
};

struct pt_err {
	int kind;          /* enum pt_status; 0 when no error is set */
	char *msg;         /* the message, without the place and the fields' names */
	char *file;        /* the input it is about, or NULL */
	long line, col;    /* 1-based; 0 when unknown */
	struct pt_err_field field[2]; /* field[0] is the one the error is about */
};

#define PT_ERR_INIT { 0, NULL, NULL, 0, 0, { { NULL, 0 }, { NULL, 0 } } }

/* Set the error (kind and message) and return -1, so failing is one line. */
int pt_err_set(struct pt_err *e, int kind, const char *fmt, ...) PT_PRINTF(3, 4);
int pt_err_vset(struct pt_err *e, int kind, const char *fmt, va_list ap);
/* Set an error that points at a place in an input file. */
int pt_err_at(struct pt_err *e, int kind, const char *file, long line, long col,
	      const char *fmt, ...) PT_PRINTF(6, 7);
/* Set an error about a field: the message is `before`, the field's name, then the rest. */
int pt_err_field(struct pt_err *e, int kind, const char *before, const char *field, const char *fmt, ...)
	PT_PRINTF(5, 6);
/* Name a field at the end of the message just set (two at most), then add the formatted rest. */
void pt_err_also(struct pt_err *e, const char *field, const char *fmt, ...) PT_PRINTF(3, 4);
/* Point the error just set at a place in an input file. */
void pt_err_place(struct pt_err *e, const char *file, long line, long col);
/* Put "what: " in front of the message (context added by a caller). */
void pt_err_prefix(struct pt_err *e, const char *fmt, ...) PT_PRINTF(2, 3);
/* "file:line:col: msg" (the parts known), newly allocated, the fields named by their own
 * names; pt_err_format_named() asks name() to add each field's name to b instead. */
char *pt_err_format(const struct pt_err *e);
char *pt_err_format_named(const struct pt_err *e, void (*name)(void *ctx, const char *field, struct pt_buf *b),
			  void *ctx);
void pt_err_release(struct pt_err *e);

/* A list of problems, for checks that report every problem and not only the first
 * (`petition rules check`). pt_errlist_release() frees the list and its errors. */
struct pt_errlist {
	struct pt_err *v;
	size_t n, alloc;
};

#define PT_ERRLIST_INIT { NULL, 0, 0 }

void pt_errlist_add(struct pt_errlist *l, int kind, const char *file, long line, long col,
		    const char *fmt, ...) PT_PRINTF(6, 7);
void pt_errlist_release(struct pt_errlist *l);

#endif
