/* progress: how far a long run of the library got, for a caller that shows it (a program
 * on a terminal, petition(1)); the library itself never prints. A run calls
 * pt_progress_report() now and then with what it has done of a total (0: not known).
 *
 * Ownership: the struct and its ctx are the caller's, borrowed for the run. */
#ifndef PT_PROGRESS_H
#define PT_PROGRESS_H

struct pt_progress {
	void (*fn)(void *ctx, unsigned long long done, unsigned long long total); /* NULL: none */
	void *ctx;
};

/* Tell p's caller (nothing when p or its fn is NULL). */
void pt_progress_report(const struct pt_progress *p, unsigned long long done, unsigned long long total);

#endif
