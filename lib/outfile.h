/* outfile: an output file written atomically (-o FILE, petition(1) OUTPUT): the data goes
 * to a temporary file beside it (mode 0600, from mkstemp), which is synced and renamed over
 * FILE only when the whole output was written; any failure removes it, so FILE is either as
 * it was or complete, never partial.
 *
 * Ownership: pt_outfile_open() fills a struct pt_outfile whose names it owns until
 * pt_outfile_commit() or pt_outfile_abort() releases them; the descriptor is the caller's
 * to write to and to close after commit or abort (both leave it open). */
#ifndef PT_OUTFILE_H
#define PT_OUTFILE_H

#include "err.h"

struct pt_outfile {
	char *path;              /* FILE */
	char *tmp;               /* the temporary file beside it, NULL when none */
	int fd;
};

/* Create the temporary file for path: PT_ECANTCREAT when its directory refuses, or when
 * something other than a regular file has that name (a directory, which the rename would
 * refuse after the caller's work is recorded; /dev/stdout, which it would replace). */
int pt_outfile_open(struct pt_outfile *o, const char *path, struct pt_err *e);
/* Sync fd (the data written to the temporary file, perhaps through another descriptor of
 * it) and rename it to its path; on failure the temporary file is gone: PT_EIO when it
 * cannot be synced, PT_ECANTCREAT when it cannot take the path's name. */
int pt_outfile_commit(struct pt_outfile *o, int fd, struct pt_err *e);
/* Remove the temporary file. */
void pt_outfile_abort(struct pt_outfile *o);

#endif
