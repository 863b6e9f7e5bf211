#include "file.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

int pt_file_open(struct pt_file *w, const char *path, struct pt_err *e)
{
	struct pt_buf tmp = PT_BUF_INIT;
	struct stat sb;
	int fd;

	w->f = NULL;
	w->tmp = NULL;
	w->path = path;
	/* A directory of that name would refuse only the rename, when the caller's work may
	 * be recorded; a device, a pipe (/dev/stdout) would be replaced by a file: refuse
	 * them first. */
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
		return pt_err_set(e, PT_ECANTCREAT, "cannot create %s: %s", path,
				  S_ISDIR(sb.st_mode) ? strerror(EISDIR) : "not a regular file");
	pt_buf_addf(&tmp, "%s.XXXXXX", path);
	fd = mkstemp(tmp.buf);
	if (fd < 0 || !(w->f = fdopen(fd, "w"))) {
		pt_err_set(e, PT_ECANTCREAT, "cannot create %s: %s", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp.buf);
		}
		pt_buf_release(&tmp);
		return -1;
	}
	w->tmp = pt_buf_detach(&tmp);
	return 0;
}

int pt_file_close(struct pt_file *w, struct pt_err *e)
{
	bool bad;

	if (!w->f)
		return 0;
	bad = fflush(w->f) != 0 || ferror(w->f) || fsync(fileno(w->f)) != 0;
	bad = fclose(w->f) != 0 || bad;
	w->f = NULL;
	if (bad) {
		pt_err_set(e, PT_EIO, "cannot write %s: %s", w->path, errno ? strerror(errno) : "write error");
		pt_file_abort(w);
		return -1;
	}
	return 0;
}

int pt_file_commit(struct pt_file *w, struct pt_err *e)
{
	if (pt_file_close(w, e))
		return -1;
	if (w->tmp && rename(w->tmp, w->path) != 0) {
		pt_err_set(e, PT_ECANTCREAT, "cannot create %s: %s", w->path, strerror(errno));
		pt_file_abort(w);
		return -1;
	}
	free(w->tmp);
	w->tmp = NULL;
	return 0;
}

void pt_file_abort(struct pt_file *w)
{
	if (w->f)
		fclose(w->f);
	w->f = NULL;
	if (w->tmp)
		unlink(w->tmp);
	free(w->tmp);
	w->tmp = NULL;
}
