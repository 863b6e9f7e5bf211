/* Unit tests of lib/file: a file written whole or not at all, in a scratch directory. */
#include "../../lib/file.h"
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

int main(void)
{
	char dir[] = "/tmp/pt-file-XXXXXX", path[64], missing[80];
	struct pt_file w = PT_FILE_INIT;
	struct pt_err e = PT_ERR_INIT;
	struct stat sb;
	FILE *old;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/out.csv", dir);
	snprintf(missing, sizeof missing, "%s/no/out.csv", dir);
	old = fopen(path, "w");
	fputs("old\n", old);
	fclose(old);

	ok(pt_file_open(&w, path, &e) == 0 && w.f, "open: a temporary file");
	fputs("new\n", w.f);
	is_str(slurp(path), "old\n", "while it is written the old file is as it was");
	pt_file_abort(&w);
	pt_file_abort(&w);
	is_str(slurp(path), "old\n", "abort: the old file as it was");
	ok(entries(dir) == 1, "abort: no temporary file left");

	ok(pt_file_open(&w, path, &e) == 0, "open again");
	fputs("new\n", w.f);
	ok(pt_file_close(&w, &e) == 0 && !w.f, "close: written and closed");
	is_str(slurp(path), "old\n", "closed, not committed: the old file still");
	ok(pt_file_commit(&w, &e) == 0, "commit");
	is_str(slurp(path), "new\n", "commit: the new file in place");
	ok(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600, "mode 0600");
	ok(entries(dir) == 1, "commit: no temporary file left");
	pt_file_abort(&w);
	is_str(slurp(path), "new\n", "abort after commit changes nothing");

	ok(pt_file_open(&w, missing, &e) == -1 && e.kind == PT_ECANTCREAT, "a missing directory: cannot create");
	ok(e.msg && strstr(e.msg, missing) != NULL, "the message names the file");
	pt_file_abort(&w);
	pt_err_release(&e);

	ok(pt_file_open(&w, dir, &e) == -1 && e.kind == PT_ECANTCREAT, "a directory of the name: cannot create");
	ok(e.msg && strstr(e.msg, "Is a directory") != NULL, "the message says why");
	ok(entries(dir) == 1, "a directory refused: nothing made");
	pt_file_abort(&w);
	pt_err_release(&e);

	snprintf(missing, sizeof missing, "%s/fifo", dir);
	ok(mkfifo(missing, 0600) == 0, "a named pipe");
	ok(pt_file_open(&w, missing, &e) == -1 && e.kind == PT_ECANTCREAT, "a pipe of the name: cannot create");
	ok(e.msg && strstr(e.msg, "not a regular file") != NULL, "the message says why");
	ok(entries(dir) == 2, "a pipe refused: nothing made beside it");
	pt_file_abort(&w);
	pt_err_release(&e);
	unlink(missing);

	unlink(path);
	rmdir(dir);
	return done_testing();
}
