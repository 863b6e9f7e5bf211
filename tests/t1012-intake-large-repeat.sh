#!/bin/sh
# An import large enough that intake reads the petitions' matter keys into a filter
# (lib/intake.c, petitions_may_have: after 10,000 rows looked up one by one) still finds every
# repeat of a person and matter registered before it: the filter only lets rows skip a
# look-up that could find nothing.
. "$(dirname "$0")/lib.sh"

header='received_on,channel,petitioner,phone,category,summary'

# earlier.csv: 50 workers, 工人0 .. 工人49, phones 13800000000 .. 13800000049, on 2026-11-01.
# later.csv: 10,000 new people (新人0 .. 新人9999, phones 13900000000 ..), then the same 50
# workers again on 2026-11-10 about the same category (咨询): nine days apart, inside the
# default rules' 365-day window, so by hand exactly those 50 rows are repeats, each of the
# earlier petition of its worker (ids 1 to 50, in file order), and the 10,000 are not.
test_expect_success 'setup' '
	petition init -q &&
	{ echo "$header" &&
	  awk "BEGIN { for (n = 0; n < 50; n++) printf \"2026-11-01,来访,工人%d,138%08d,咨询,问题%d\\n\", n, n, n }"
	} >earlier.csv &&
	{ echo "$header" &&
	  awk "BEGIN { for (m = 0; m < 10000; m++) printf \"2026-11-10,来访,新人%d,139%08d,咨询,新问题%d\\n\", m, m, m;
		       for (n = 0; n < 50; n++) printf \"2026-11-10,来访,工人%d,138%08d,咨询,再问%d\\n\", n, n, n }"
	} >later.csv &&
	petition intake -q --csv earlier.csv &&
	petition intake -q --csv later.csv
'

test_expect_success 'the 50 workers who came again are repeats of their first petitions, nobody else is' '
	sqlite3 petition.db "SELECT count(*) FROM petitions WHERE repeat" >got &&
	echo 50 >expect && test_cmp expect got &&
	sqlite3 petition.db "SELECT count(*) FROM petitions WHERE id > 10050 AND repeat AND repeat_of = id - 10050" >got &&
	test_cmp expect got
'

test_done
