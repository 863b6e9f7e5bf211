#include "outfile.h"
#include "buf.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int pt_outfile_open(struct pt_outfile *o, const char *path, struct pt_err *e)
{
	struct pt_buf tmp = PT_BUF_INIT;
	struct stat sb;

	memset(o, 0, sizeof *o);
	o->fd = -1;
	/* A directory of that name would refuse only the rename, when the caller's work may be
	 * recorded; a device or a pipe (/dev/stdout) would be replaced by a file: refuse them
	 * first. */
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
		return pt_err_set(e, PT_ECANTCREAT, "cannot create %s: %s", path,
				  S_ISDIR(sb.st_mode) ? strerror(EISDIR) : "not a regular file");
	pt_buf_addf(&tmp, "%s.XXXXXX", path);
	o->fd = mkstemp(tmp.buf); /* mode 0600, never an existing file or link */
	if (o->fd < 0) {
		pt_buf_release(&tmp);
		return pt_err_set(e, PT_ECANTCREAT, "cannot create %s: %s", path, strerror(errno));
	}
	o->tmp = pt_buf_detach(&tmp);
	o->path = pt_xstrdup(path);
	return 0;
}

static void release(struct pt_outfile *o)
{
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
}

/* Sync the directory, so that the rename survives a crash as the data does. */
static int sync_dir(const char *path)
{
	char *copy = pt_xstrdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
	int rc = fd < 0 ? -1 : fsync(fd);

	if (fd >= 0)
		close(fd);
	free(copy);
	return rc;
}

int pt_outfile_commit(struct pt_outfile *o, int fd, struct pt_err *e)
{
	int rc = 0;

	if (!o->tmp)
		return 0;
	if (fsync(fd) != 0)
		rc = pt_err_set(e, PT_EIO, "cannot write %s: %s", o->path, strerror(errno));
	else if (rename(o->tmp, o->path) != 0)
		rc = pt_err_set(e, PT_ECANTCREAT, "cannot create %s: %s", o->path, strerror(errno));
	if (rc)
		unlink(o->tmp);
	else if (sync_dir(o->path) != 0) /* in place, but not yet for sure */
		rc = pt_err_set(e, PT_EIO, "cannot write %s: %s", o->path, strerror(errno));
	release(o);
	return rc;
}

void pt_outfile_abort(struct pt_outfile *o)
{
	if (o->tmp)
		unlink(o->tmp);
	release(o);
}
