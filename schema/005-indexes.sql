-- petition schema: the indexes of petitions cost an import only what their readers need.
-- Each index with its reader and what it costs: the CPU time SQLite spends on it in one
-- INSERT ... SELECT of the 200,000 rows of bench/gen.c into a table with no other index
-- (`sh bench/indexes.sh build 200000`, medians of three; the bare table takes 1.05 s;
-- bench/README.md, "The indexes").
--
--   case_no UNIQUE (001)      +0.31 s  case look-up by number, every command naming a case;
--                                      unique, so that no two cases share one
--   dedup_key UNIQUE (001)    +0.45 s  intake's duplicate check (ON CONFLICT)
--   petitions_period (001)    +0.31 s  the report's period and unit, case list's period
--   petitions_repeat (001)    +0.01 s  intake's repeat check on rows from before
--                                      matter_key: new rows leave repeat_key NULL
--   petitions_event (001)     +0.15 s  the replay's digest of a bulk event, verify --since;
--                                      ids only grow, so it appends (an import no longer
--                                      needs it for its foreign key: lib/change.c)
--   petitions_state (001)     +0.50 s  dropped: its one reader was routing's first
--   (state, unit)                      registered case, which read every registered entry
--                                      of every unit for the least id
--   petitions_registered      +0.17 s  routing's first registered case, in one look-up: a
--                                      partial index of an integer that only grows
--   petitions_matter (002)    +0.81 s  narrowed to its key: intake's look-up reads every
--   (matter_key, received_on)          earlier petition of the key and compares its
--   → (matter_key)            +0.39 s  columns; it never asked the index for the date
--
-- All seven: +1.95 s now, +2.7 s before (the two replaced ones' difference added back).
-- Integer keys for the case number (unit, year, sequence) and the duplicate key (a hash
-- with a confirming look-up, as matter_key has) would take most of the two UNIQUE costs,
-- but need the table rebuilt; left for a later migration.
DROP INDEX petitions_state;
CREATE INDEX petitions_registered ON petitions(id) WHERE state = 'registered';
DROP INDEX petitions_matter;
CREATE INDEX petitions_matter ON petitions(matter_key) WHERE matter_key IS NOT NULL;
