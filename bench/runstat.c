/* runstat: run a command and record its wall time, CPU time and peak memory.
 *
 *   runstat OUT COMMAND [ARG...]
 *
 * Runs COMMAND (searched in PATH) with this process's standard input, output and error,
 * waits for it with wait4(), and appends one line to the file OUT:
 *
 *   WALL_SECONDS CPU_SECONDS PEAK_RSS_KB STATUS
 *
 * CPU is user + system time of the command; PEAK_RSS_KB is its ru_maxrss (Linux: kilobytes);
 * STATUS is its exit status, or 128 + the signal that ended it. runstat exits with STATUS,
 * or 127 when the command cannot be run. This replaces GNU time(1), which bench/intake.sh
 * cannot count on, and has no other dependency than POSIX and wait4(). */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	FILE *out;
	pid_t pid;
	int status, code;

	if (argc < 3) {
		fprintf(stderr, "usage: runstat OUT COMMAND [ARG...]\n");
		return 64;
	}
	out = fopen(argv[1], "a");
	if (!out) {
		fprintf(stderr, "runstat: cannot open %s: %s\n", argv[1], strerror(errno));
		return 73;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "runstat: fork: %s\n", strerror(errno));
		return 71;
	}
	if (pid == 0) {
		fclose(out);
		execvp(argv[2], argv + 2);
		fprintf(stderr, "runstat: cannot run %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "runstat: wait4: %s\n", strerror(errno));
			return 71;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	fprintf(out, "%.4f %.4f %ld %d\n",
		(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
		seconds(&ru.ru_utime) + seconds(&ru.ru_stime), ru.ru_maxrss, code);
	if (fclose(out) != 0) {
		fprintf(stderr, "runstat: cannot write %s: %s\n", argv[1], strerror(errno));
		return 74;
	}
	return code;
}
