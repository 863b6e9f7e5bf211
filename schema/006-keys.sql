-- petition schema: integer keys for the case number and the duplicate check (petition(7),
-- "The data"). The two dearest indexes of an import were UNIQUE indexes of text; each becomes
-- a 64-bit key with a plain index, and every reader confirms what the key finds on the
-- columns themselves. A key (lib/hash.h, pt_key_ordered) is the number the digits of an
-- ordering column make, in its high 32 bits, and the low 32 bits of FNV-1a of the columns
-- (each followed by a NUL): rows registered in the order of their numbers or dates go in
-- near the end of the index, as they did into the text indexes, where a hash alone would
-- scatter them over it (measured below).
--
-- case_key = pt_case_key(case_no): ordered by the case number's digits. The case number
-- stays a column (scripts and every output use it) and stays unique without a UNIQUE index:
-- the toolkit gives numbers only under the write lock, from case_seq (the last sequence
-- number of the unit and year, read and moved on in the same transaction as the rows), and
-- every number holds its unit, year and sequence, so two rows never get the same one. A row
-- added behind the toolkit's back (sqlite3) is a row no event explains, which petition audit
-- verify reports, as it reports a case_key that is not the key of its case_no.
--
-- dup_key: the duplicate check of petition-intake: the key of ('x', unit, external_id)
-- ordered by the external_id when the row has one, else of ('f', unit, received_on, channel,
-- petitioner, id_number, category, summary) ordered by the received date: the columns the
-- check compares, NULL as ''. The text key (dedup_key) was shown nowhere and is not written
-- any more; the rows registered before keep theirs, since the digests of the events that
-- registered them cover it.
--
-- SQLite cannot drop a UNIQUE constraint: the table is made again, by the procedure of
-- SQLite's documentation for other changes to a table (new table, copy, drop, rename,
-- indexes) in the migration's one transaction. Foreign keys are off while a migration runs
-- (petition init turns them off before its transaction when the schema is behind, as the
-- procedure asks): dropping petitions then deletes no row of steps' parents in SQLite's
-- eyes, and with legacy_alter_table the rename leaves the REFERENCES petitions of steps as
-- written. The ids are copied as they are, so every step keeps its case. The rows are
-- copied into a table of another name, which the change's session does not record: copying
-- them changes nothing the log has to prove (the replay computes both keys from the columns
-- they hash, lib/replay.c).
--
-- The indexes, each with its reader and what it costs: the CPU time SQLite spends on it in
-- one INSERT ... SELECT of the 200,000 rows of bench/gen.c into a table with no other index
-- (`sh bench/indexes.sh build 200000`, medians of three, the bare table 1.00 s;
-- bench/README.md, "The indexes").
CREATE TABLE petitions_new (
	id           INTEGER PRIMARY KEY,
	case_no      TEXT NOT NULL,          -- unique in fact: given under the write lock (above)
	unit         TEXT NOT NULL,          -- code of the union that received it
	received_on  TEXT NOT NULL,          -- YYYY-MM-DD, Beijing
	channel      TEXT NOT NULL,          -- visit letter phone email fax online transfer hotline
	petitioner   TEXT NOT NULL,
	id_number    TEXT,                   -- GB 11643, 18 characters
	phone        TEXT,
	employer     TEXT,
	received_by  TEXT,                   -- leader who received a visit in person
	category     TEXT NOT NULL,
	persons      INTEGER NOT NULL DEFAULT 1 CHECK (persons >= 1),
	addressed_to TEXT,                   -- leader a letter names
	summary      TEXT NOT NULL,
	external_id  TEXT,                   -- number in the office's own register (编号)
	source_ref   TEXT,                   -- document number of a transferred case (转办文号)
	-- The repeat check of rows registered before schema 2 (matter_key): FNV-1a of
	-- id_number, NUL, category; NULL on rows registered since.
	repeat_key   INTEGER,
	-- Flags computed at intake from the rules in force.
	collective   INTEGER NOT NULL DEFAULT 0,
	repeat       INTEGER NOT NULL DEFAULT 0,
	named_letter INTEGER NOT NULL DEFAULT 0,
	-- The text duplicate key of rows registered before this schema, NULL since (dup_key).
	dedup_key    TEXT,
	-- Current state, kept by the library together with the event that changes it.
	state        TEXT NOT NULL DEFAULT 'registered',
	holder       TEXT,                   -- who must act now
	outcome      TEXT,                   -- 支持 部分支持 解释 不支持
	satisfaction TEXT,                   -- 满意 基本满意 不满意
	event_id     INTEGER NOT NULL REFERENCES events(id) DEFERRABLE INITIALLY DEFERRED,
	                                     -- the intake event; its data holds a digest of the rows
	matter_key   INTEGER,                -- same person and matter (schema 2)
	repeat_of    INTEGER,
	final_of     INTEGER,
	competent_unit TEXT,
	skip_level   INTEGER NOT NULL DEFAULT 0,
	addressed_unknown INTEGER NOT NULL DEFAULT 0,
	case_key     INTEGER,                -- pt_case_key(case_no)
	dup_key      INTEGER                 -- the duplicate check's key (above)
);
INSERT INTO petitions_new
	SELECT *, pt_case_key(case_no),
	       CASE WHEN external_id IS NOT NULL THEN pt_key_ordered(external_id, 'x', unit, external_id)
	       ELSE pt_key_ordered(received_on, 'f', unit, received_on, channel, petitioner, id_number, category,
	                           summary) END
	FROM petitions ORDER BY id;
DROP TABLE petitions;
PRAGMA legacy_alter_table = ON;
ALTER TABLE petitions_new RENAME TO petitions;
PRAGMA legacy_alter_table = OFF;
--
--   petitions_case (case_key)   +0.25 s  case look-up by number (casefile), every command
--                                        naming a case; was case_no UNIQUE, +0.40 s
--                                        (a plain FNV-1a key, in no order: +0.38 s)
--   petitions_dup (dup_key)     +0.16 s  intake's duplicate check; was dedup_key UNIQUE,
--                                        +0.51 s (plain FNV-1a: +0.36 s)
--   petitions_period            +0.16 s  the report's period and unit, case list's period;
--   (received_on, unit)                  kept as it is: widened to the columns the report
--                                        counts (channel, category, persons) it costs
--                                        +0.33 s and made `petition report quarter --part A`
--                                        slower at 1,000,000 rows (0.81 -> 1.06 s CPU): the
--                                        report reads every case's whole row (twenty
--                                        columns) anyway, and walks the wider index in each
--                                        of its three statements
--   petitions_registered        +0.16 s  routing's first registered case (schema 5)
--   petitions_repeat            -0.01 s  intake's repeat check on rows from before matter_key
--   petitions_event             +0.19 s  the replay's digest of a bulk event, verify --since
--   petitions_matter            +0.57 s  intake's same person and matter (schema 5)
--
-- All seven: +1.46 s, against +1.98 s for schema 5's seven in the same run.
CREATE INDEX petitions_case ON petitions(case_key);
CREATE INDEX petitions_dup ON petitions(dup_key);
CREATE INDEX petitions_period ON petitions(received_on, unit);
CREATE INDEX petitions_registered ON petitions(id) WHERE state = 'registered';
CREATE INDEX petitions_repeat ON petitions(repeat_key, received_on) WHERE repeat_key IS NOT NULL;
CREATE INDEX petitions_event ON petitions(event_id);
CREATE INDEX petitions_matter ON petitions(matter_key) WHERE matter_key IS NOT NULL;
