#!/bin/sh
# petition audit verify reads each event's data once, with a parser of its own (lib/replay.c);
# a value a row change carries must read as SQLite's json_each gives it. Here an event's new
# values are forged (the data edited, so the chain breaks too) with escapes and numbers at
# the edges, and the finding on the row must show the value the forged event says, worked
# out by hand:
#   "a\u00e9\u4e2d\ud83d\ude00\n\"b": a, U+00E9 é, U+4E2D 中, the surrogate pair D83D DE00
#     = 0x10000 + (0x03D << 10) + 0x200 = U+1F600 😀, a newline (TSV writes \n), a quote;
#   9223372036854775808 = 2^63 does not fit in 64 bits: a real, 9.22337203685478e+18 in
#     SQLite's 15 digits, kept a real by the INTEGER column (no integer holds it exactly);
#   -9223372036854775808 = -2^63 fits: an integer;
#   2.5e1 = 25.0, a real the INTEGER column stores as the integer 25.
. "$(dirname "$0")/lib.sh"

replay_skip="t.db"

# forge JSON: on a copy, the new values of the acceptance of LYS-2026-000001 become JSON.
forge() {
	cp petition.db t.db && rm -f t.db-wal t.db-shm &&
	printf '%s' "$1" >v.json &&
	sqlite3 t.db "UPDATE events SET data = json_set(data, '\$.rows[0].v', json(readfile('v.json')))
		WHERE kind = 'accepted'" &&
	test_expect_code 1 petition audit verify -q --format tsv --db t.db >out
}

# the finding on petitions id=1: column, stored, expected (tab-separated)
finding() {
	awk -F'\t' '$1 == "petitions" && $2 == "id=1" { print $4 "\t" $5 "\t" $6 }' out
}

test_expect_success 'setup: one case accepted' '
	petition init -q &&
	petition intake -q --received-on 2026-11-20 --channel 来访 --petitioner 钱秀英 --category 社会保险 \
		--summary 养老保险未缴 >/dev/null &&
	petition route -q >/dev/null &&
	petition case -q accept LYS-2026-000001 >/dev/null &&
	petition audit verify -q >/dev/null
'

test_expect_success 'escapes: a letter, a surrogate pair, a newline and a quote read as SQLite reads them' '
	forge "{\"state\":\"accepted\",\"summary\":\"a\\u00e9\\u4e2d\\ud83d\\ude00\\n\\\"b\"}" &&
	printf "summary\t养老保险未缴\taé中😀\\\\n\"b\n" >expect &&
	finding >got &&
	test_cmp expect got
'

test_expect_success 'numbers: past 64 bits a real, -2^63 an integer, 2.5e1 the integer 25' '
	forge "{\"state\":\"accepted\",\"persons\":9223372036854775808}" &&
	printf "persons\t1\t9.22337203685478e+18\n" >expect &&
	finding >got && test_cmp expect got &&
	forge "{\"state\":\"accepted\",\"persons\":-9223372036854775808}" &&
	printf "persons\t1\t-9223372036854775808\n" >expect &&
	finding >got && test_cmp expect got &&
	forge "{\"state\":\"accepted\",\"persons\":2.5e1}" &&
	printf "persons\t1\t25\n" >expect &&
	finding >got && test_cmp expect got
'

test_expect_success 'spaces between the tokens change nothing' '
	forge "{ \"state\" : \"accepted\" ,
		\"summary\" : \"改过\" }" &&
	printf "summary\t养老保险未缴\t改过\n" >expect &&
	finding >got &&
	test_cmp expect got
'

test_done
