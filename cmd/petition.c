/* petition: the dispatcher. `petition CMD ARGS` runs petition-CMD from the exec path, as git
 * does; see petition(1). The only program without cmd/common.c: it opens no database. */
#include "../lib/petition.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h" /* PT_LIBEXEC_FROM_BIN, PT_MAN_FROM_BIN: made by the Makefile */

/* The builtins: the programs of this install are linked into the dispatcher as well, each
 * program's main() renamed cmd_builtin_<cmd> (the Makefile, BUILTINS; gen/builtins.h has a
 * PT_BUILTIN(cmd) line for each). A command found on the exec path in this install's own
 * programs' directory runs here, in this process, as that program would: starting a second
 * program was a third of the time of `petition case show` (bench/README.md). A program of
 * the same name found earlier on the exec path (a county office's own) is run instead. */
#define PT_BUILTIN(cmd) int cmd_builtin_##cmd(int argc, char **argv);
#include "builtins.h"
#undef PT_BUILTIN

static const struct builtin {
	const char *name;
	int (*main)(int argc, char **argv);
} builtins[] = {
#define PT_BUILTIN(cmd) { #cmd, cmd_builtin_##cmd },
#include "builtins.h"
#undef PT_BUILTIN
};

static const char usage[] =
	"usage: petition [--exec-path[=DIR]] COMMAND [ARGS]\n"
	"       petition help [COMMAND]\n"
	"       petition --help | --version\n";

struct names {
	char **v;
	size_t n;
};

/* A directory of the install, relative to the one that holds this program (as git's
 * RUNTIME_PREFIX): the install may have been made to any PREFIX or moved, and a directory
 * compiled in would name the build's PREFIX, where an older install may still be. */
static char *beside_me(const char *relative, bool *known)
{
	struct pt_buf b = PT_BUF_INIT;
	char *self = realpath("/proc/self/exe", NULL);
	char *slash = self ? strrchr(self, '/') : NULL;

	if (known)
		*known = slash != NULL;
	if (slash)
		pt_buf_add(&b, self, (size_t)(slash - self));
	else
		pt_buf_adds(&b, "."); /* no /proc: the current directory, never a stale prefix */
	if (strcmp(relative, "."))
		pt_buf_addf(&b, "/%s", relative);
	free(self);
	/* without the "bin/.." when the directory is there (--exec-path prints it) */
	if ((self = realpath(b.buf, NULL))) {
		pt_buf_release(&b);
		return self;
	}
	return pt_buf_detach(&b);
}

/* The directories searched, in order: --exec-path, PETITION_EXEC_PATH, the programs'
 * directory of this install (own), then PATH. Returned as one ':'-separated string. */
static char *exec_path(const char *option, const char *own)
{
	struct pt_buf b = PT_BUF_INIT;
	const char *env = getenv("PETITION_EXEC_PATH");
	const char *path = getenv("PATH");

	if (option && *option)
		pt_buf_addf(&b, "%s:", option);
	if (env && *env)
		pt_buf_addf(&b, "%s:", env);
	pt_buf_adds(&b, own);
	if (path && *path)
		pt_buf_addf(&b, ":%s", path);
	return pt_buf_detach(&b);
}

static bool executable(const char *file)
{
	struct stat sb;

	return stat(file, &sb) == 0 && S_ISREG(sb.st_mode) && access(file, X_OK) == 0;
}

/* Full path of petition-NAME on the exec path, or NULL. */
static char *find_command(const char *path, const char *name)
{
	struct pt_buf file = PT_BUF_INIT;

	for (const char *p = path; *p;) {
		size_t len = strcspn(p, ":");

		pt_buf_reset(&file);
		pt_buf_addf(&file, "%.*s/petition-%s", len ? (int)len : 1, len ? p : ".", name);
		if (executable(file.buf))
			return pt_buf_detach(&file);
		p += len + (p[len] == ':');
	}
	pt_buf_release(&file);
	return NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every command on the exec path, sorted, each once. */
static void list_commands(const char *path, struct names *out)
{
	struct pt_buf dir = PT_BUF_INIT, file = PT_BUF_INIT;

	out->v = NULL;
	out->n = 0;
	for (const char *p = path; *p;) {
		size_t len = strcspn(p, ":");
		DIR *d;
		struct dirent *de;

		pt_buf_reset(&dir);
		pt_buf_add(&dir, len ? p : ".", len ? len : 1);
		p += len + (p[len] == ':');
		if (!(d = opendir(dir.buf)))
			continue;
		while ((de = readdir(d))) {
			const char *name = de->d_name + strlen("petition-");
			bool seen = false;

			if (strncmp(de->d_name, "petition-", 9) || !*name || strchr(name, '.'))
				continue;
			pt_buf_reset(&file);
			pt_buf_addf(&file, "%s/%s", dir.buf, de->d_name);
			if (!executable(file.buf))
				continue;
			for (size_t i = 0; i < out->n && !seen; i++)
				seen = !strcmp(out->v[i], name);
			if (seen)
				continue;
			out->v = pt_xrealloc(out->v, (out->n + 1) * sizeof *out->v);
			out->v[out->n++] = pt_xstrdup(name);
		}
		closedir(d);
	}
	if (out->n)
		qsort(out->v, out->n, sizeof *out->v, cmp_str);
	pt_buf_release(&dir);
	pt_buf_release(&file);
}

static void free_names(struct names *n)
{
	for (size_t i = 0; i < n->n; i++)
		free(n->v[i]);
	free(n->v);
}

static void print_commands(FILE *f, const char *path)
{
	struct names n;

	list_commands(path, &n);
	fputs("\ncommands:\n", f);
	for (size_t i = 0; i < n.n; i++)
		fprintf(f, "   %s\n", n.v[i]);
	fputs("\n'petition help COMMAND' shows a command's manual.\n", f);
	free_names(&n);
}

static int unknown_command(const char *path, const char *name)
{
	struct names n;
	const char *near;

	list_commands(path, &n);
	near = pt_closest(name, (const char *const *)n.v, n.n);
	fprintf(stderr, "petition: '%s' is not a petition command; see 'petition --help'\n", name);
	if (near)
		fprintf(stderr, "\nDid you mean this?\n\t%s\n", near);
	free_names(&n);
	return PT_EUSAGE;
}

/* Whether file is petition-name in directory own, by its real path: a link there to
 * another program is that program. */
static bool ours(const char *file, const char *name, const char *own)
{
	static const char prefix[] = "petition-";
	char *real = realpath(file, NULL);
	char *slash = real ? strrchr(real, '/') : NULL;
	bool yes = slash && !strncmp(slash + 1, prefix, strlen(prefix)) && !strcmp(slash + 1 + strlen(prefix), name);

	if (yes) {
		*slash = '\0';
		yes = !strcmp(real, own);
	}
	free(real);
	return yes;
}

/* The builtin that file, found on the exec path for name, is: the program of that name in
 * this install's own directory (own; NULL when not known). NULL for any other. */
static const struct builtin *builtin_for(const char *file, const char *name, const char *own)
{
	for (size_t i = 0; own && i < sizeof builtins / sizeof *builtins; i++)
		if (!strcmp(builtins[i].name, name))
			return ours(file, name, own) ? &builtins[i] : NULL;
	return NULL;
}

/* Run petition-name with argv (argv[0] the command's name, replaced). Returns its exit
 * status when it runs here, or ours when it cannot be run. */
static int run_command(const char *path, const char *own, const char *name, int argc, char **argv)
{
	char *file = find_command(path, name);
	const struct builtin *b = file ? builtin_for(file, name, own) : NULL;
	struct pt_buf argv0 = PT_BUF_INIT;

	if (!file)
		return unknown_command(path, name);
	/* Its argv[0] is its own name, so that getopt's messages name it. */
	pt_buf_addf(&argv0, "petition-%s", name);
	argv[0] = argv0.buf;
	if (b) {
		int status;

		free(file);
		/* named as exec would name it (ps -C, pgrep -x; the kernel keeps 15 bytes) */
		prctl(PR_SET_NAME, argv0.buf, 0, 0, 0);
		/* its options from the start: 0 makes glibc's getopt begin again, forgetting
		 * the dispatcher's "+" */
		optind = 0;
		status = b->main(argc, argv);
		pt_buf_release(&argv0);
		return status;
	}
	/* The child replaces us, so its exit status is ours. */
	execv(file, argv);
	pt_buf_release(&argv0);
	fprintf(stderr, "petition: cannot run %s: %s\n", file, strerror(errno));
	free(file);
	return PT_EINTERNAL;
}

/* Put this install's manual directory before man's own search path (a trailing colon
 * tells man-db to append its default). */
static void prefer_our_manuals(void)
{
	const char *mp = getenv("MANPATH");
	struct pt_buf manpath = PT_BUF_INIT;
	char *mandir = beside_me(PT_MAN_FROM_BIN, NULL);

	pt_buf_addf(&manpath, "%s:%s", mandir, mp && *mp ? mp : "");
	setenv("MANPATH", manpath.buf, 1);
	pt_buf_release(&manpath);
	free(mandir);
}

static int help(const char *path, const char *name)
{
	struct pt_buf page = PT_BUF_INIT;
	char *file;

	if (!name) {
		fputs(usage, stdout);
		print_commands(stdout, path);
		return 0;
	}
	if (!strcmp(name, "petition")) {
		pt_buf_adds(&page, "petition");
	} else {
		if (!(file = find_command(path, name)))
			return unknown_command(path, name);
		free(file);
		pt_buf_addf(&page, "petition-%s", name);
	}
	prefer_our_manuals();
	execlp("man", "man", page.buf, (char *)NULL);
	fprintf(stderr, "petition: cannot run man: %s; the manual is %s(1)\n", strerror(errno), page.buf);
	pt_buf_release(&page);
	return PT_EINTERNAL;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "exec-path", optional_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *exec_opt = NULL;
	bool show_path = false, show_help = false, own_known;
	char *path, *own;
	int opt, status;

	/* '+': stop at the command, so its own options are left for it; and at --help. */
	while (!show_help && (opt = getopt_long(argc, argv, "+hV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'x':
			if (optarg)
				exec_opt = optarg;
			else
				show_path = true;
			break;
		case 'h':
			show_help = true;
			break;
		case 'V':
			printf("petition %s\n", PETITION_VERSION);
			return 0;
		default:
			fputs(usage, stderr);
			return PT_EUSAGE;
		}
	}
	if (exec_opt) {
		/* The commands find each other (and scripts find them) through the environment. */
		setenv("PETITION_EXEC_PATH", exec_opt, 1);
	}
	own = beside_me(PT_LIBEXEC_FROM_BIN, &own_known);
	path = exec_path(exec_opt, own);
	if (show_help || (!show_path && optind >= argc)) {
		/* asked for, on stdout; for want of a command, on stderr */
		FILE *f = show_help ? stdout : stderr;

		fputs(usage, f);
		print_commands(f, path);
		status = show_help ? 0 : PT_EUSAGE;
	} else if (show_path) {
		/* the first directory searched */
		path[strcspn(path, ":")] = '\0';
		printf("%s\n", path);
		status = 0;
	} else if (!strcmp(argv[optind], "help")) {
		status = help(path, optind + 1 < argc ? argv[optind + 1] : NULL);
	} else if (!strcmp(argv[optind], "version")) {
		status = (printf("petition %s\n", PETITION_VERSION), 0);
	} else if (strchr(argv[optind], '/') || argv[optind][0] == '-') {
		status = unknown_command(path, argv[optind]);
	} else {
		/* no builtins when this install's directory is not known (no /proc): the
		 * current directory stands for it then, and its files are not ours */
		status = run_command(path, own_known ? own : NULL, argv[optind], argc - optind, argv + optind);
	}
	free(path);
	free(own);
	return status;
}
