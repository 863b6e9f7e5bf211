-- petition schema: the indexes of petitions cost an import only what their readers need.
-- Each index with its reader and what it costs (bench/README.md, "The indexes"): the CPU
-- time SQLite spends on it in an INSERT ... SELECT of the 200,000 rows of bench/gen.c
-- (medians of three, on a table with no other index; the table alone takes 1.0-1.1 s).
--
--   case_no UNIQUE (001)      +0.46 s  case look-up by number, every command naming a case;
--                                      unique, so that no two cases share one
--   dedup_key UNIQUE (001)    +0.55 s  intake's duplicate check (ON CONFLICT)
--   petitions_period (001)    +0.36 s  the report's period and unit, case list's period
--   petitions_repeat (001)     0.05 s  intake's repeat check on rows from before
--                                      matter_key: new rows leave repeat_key NULL, so it
--                                      costs an import next to nothing
--   petitions_event (001)     +0.22 s  the replay's digest of a bulk event and verify
--                                      --since (an import no longer needs it for its
--                                      foreign key: change.c); ids only grow, so it appends
--   petitions_state (001)     +0.69 s  dropped: its one reader was routing's first
--                                      registered case, which scanned every registered
--                                      entry of every unit for the least id
--   petitions_registered      +0.13 s  routing's first registered case, one look-up; a
--                                      partial index on an integer that only grows
--   petitions_matter (002)    +1.03 s  narrowed to the key: the look-up reads every
--   (matter_key, received_on)          earlier petition of the key and compares its
--   → (matter_key)            +0.49 s  columns, and never asked the index for the date
--
-- All seven before: +3.0 s; after: +1.8 s (the INSERT of an import 29% shorter).
-- Integer keys for the case number and the duplicate key (a hash with a confirming look-up,
-- as matter_key does) would take most of the last two UNIQUE costs, but need the table
-- rebuilt; left for a later migration.
DROP INDEX petitions_state;
CREATE INDEX petitions_registered ON petitions(id) WHERE state = 'registered';
DROP INDEX petitions_matter;
CREATE INDEX petitions_matter ON petitions(matter_key) WHERE matter_key IS NOT NULL;
