#include "progress.h"

#include <stddef.h>

void pt_progress_report(const struct pt_progress *p, unsigned long long done, unsigned long long total)
{
	if (p && p->fn)
		p->fn(p->ctx, done, total);
}
