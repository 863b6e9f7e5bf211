/* file: a file written whole or not at all. It is written under a temporary name beside
 * its path (mode 0600, from mkstemp) and renamed into place only when the caller says the
 * run went through: an existing file of that name is replaced whole, never truncated in
 * place nor followed through a symbolic link, and a failed run leaves it as it was.
 *
 *   pt_file_open()    the temporary file, f ready to write
 *   pt_file_close()   flush it to the disk and close it (every write error shows here),
 *                     still under its temporary name; before the database is committed
 *   pt_file_commit()  closes when still open, renames it into place
 *   pt_file_abort()   closes and removes the temporary file (any time, more than once)
 *
 * Ownership: path is borrowed for the life of the struct; tmp is the struct's. */
#ifndef PT_FILE_H
#define PT_FILE_H

#include <stdio.h>

#include "err.h"

struct pt_file {
	FILE *f;
	char *tmp;
	const char *path;
};

#define PT_FILE_INIT { NULL, NULL, NULL }

/* 0, or -1 with PT_ECANTCREAT ("cannot create PATH: why"; a directory or anything else
 * but a regular file at PATH included, so that the rename cannot fail on it after the
 * caller's work is recorded, nor replace /dev/stdout with a file). */
int pt_file_open(struct pt_file *w, const char *path, struct pt_err *e);
/* 0, or -1 with PT_EIO ("cannot write PATH: why"), the temporary file removed. */
int pt_file_close(struct pt_file *w, struct pt_err *e);
/* 0, or -1 (PT_EIO, or PT_ECANTCREAT when the rename fails), the temporary file removed. */
int pt_file_commit(struct pt_file *w, struct pt_err *e);
void pt_file_abort(struct pt_file *w);

#endif
