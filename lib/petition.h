/* libpetition: the library behind the petition toolkit. One header per module; this one
 * includes them all, and is included as <petition/petition.h>. Each header says who owns
 * what; petition(7) and petition(1) describe the field and the programs (HACKING.md in the
 * source holds the architecture). */
#ifndef PETITION_H
#define PETITION_H

#define PETITION_VERSION "0.1.0"

#include "err.h"
#include "buf.h"
#include "progress.h"
#include "cal.h"
#include "deadline.h"
#include "hash.h"
#include "ident.h"
#include "db.h"
#include "event.h"
#include "vocab.h"
#include "change.h"
#include "replay.h"
#include "casefile.h"
#include "rules.h"
#include "csv.h"
#include "fmt.h"
#include "html.h"
#include "xlsx.h"
#include "outfile.h"
#include "init.h"
#include "intake.h"
#include "reception.h"
#include "schedule.h"
#include "case.h"
#include "route.h"
#include "audit.h"
#include "report.h"
#include "compliance.h"
#include "interview.h"
#include "submission.h"

#endif
