/* Unit tests of lib/outfile: a file written whole or not at all, in a scratch directory. */
#include "../../lib/outfile.h"
#include "tap.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* The file's bytes (at most 63), "" when it cannot be read. */
static const char *slurp(const char *path)
{
	static char text[64];
	FILE *f = fopen(path, "rb");
	size_t n = 0;

	if (f) {
		n = fread(text, 1, sizeof text - 1, f);
		fclose(f);
	}
	text[n] = '\0';
	return text;
}

/* How many entries the directory holds besides . and .. */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d)))
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

/* Open path and write s into the temporary file. */
static int start(struct pt_outfile *o, const char *path, const char *s, struct pt_err *e)
{
	if (pt_outfile_open(o, path, e))
		return -1;
	return write(o->fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
}

int main(void)
{
	char dir[] = "/tmp/pt-outfile-XXXXXX", path[64], other[80];
	struct pt_outfile o;
	struct pt_err e = PT_ERR_INIT;
	struct stat sb;
	FILE *old;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/out.csv", dir);
	old = fopen(path, "w");
	fputs("old\n", old);
	fclose(old);

	ok(start(&o, path, "new\n", &e) == 0, "open and write a temporary file");
	is_str(slurp(path), "old\n", "while it is written the old file is as it was");
	pt_outfile_abort(&o);
	close(o.fd);
	is_str(slurp(path), "old\n", "abort: the old file as it was");
	ok(entries(dir) == 1, "abort: no temporary file left");

	ok(start(&o, path, "new\n", &e) == 0, "open again");
	ok(pt_outfile_commit(&o, o.fd, &e) == 0, "commit");
	close(o.fd);
	is_str(slurp(path), "new\n", "commit: the new file in place");
	ok(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600, "mode 0600");
	ok(entries(dir) == 1, "commit: no temporary file left");

	snprintf(other, sizeof other, "%s/no/out.csv", dir);
	ok(pt_outfile_open(&o, other, &e) == -1 && e.kind == PT_ECANTCREAT, "a missing directory: cannot create");
	ok(e.msg && strstr(e.msg, other) != NULL, "the message names the file");
	pt_err_release(&e);

	ok(pt_outfile_open(&o, dir, &e) == -1 && e.kind == PT_ECANTCREAT, "a directory of the name: cannot create");
	ok(e.msg && strstr(e.msg, "Is a directory") != NULL, "the message says why");
	ok(entries(dir) == 1, "a directory refused: nothing made");
	pt_err_release(&e);

	snprintf(other, sizeof other, "%s/fifo", dir);
	ok(mkfifo(other, 0600) == 0, "a named pipe");
	ok(pt_outfile_open(&o, other, &e) == -1 && e.kind == PT_ECANTCREAT, "a pipe of the name: cannot create");
	ok(e.msg && strstr(e.msg, "not a regular file") != NULL, "the message says why");
	ok(entries(dir) == 2, "a pipe refused: nothing made beside it");
	pt_err_release(&e);

	unlink(other);
	unlink(path);
	rmdir(dir);
	return done_testing();
}
