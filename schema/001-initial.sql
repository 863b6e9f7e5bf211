-- petition schema, version 1: the whole domain (petition(7)).
-- Migrations are numbered; each file moves PRAGMA user_version to its number and runs in
-- one transaction. This file is the only DDL; it is compiled into libpetition.

-- Every rules text a decision was made under, oldest first. The newest 'load' row is the
-- rules in force; an 'override' row keeps the text of rules given with --rules for one run
-- that wrote something, so the database alone shows the rules behind every decision.
CREATE TABLE rules (
	id        INTEGER PRIMARY KEY,
	loaded_at TEXT NOT NULL,            -- UTC ISO 8601
	source    TEXT NOT NULL,            -- the file name given, or '(default)'
	sha256    TEXT NOT NULL,            -- of text
	text      TEXT NOT NULL,            -- the YAML as loaded
	kind      TEXT NOT NULL DEFAULT 'load' CHECK (kind IN ('load', 'override'))
);

-- Append-only, hash-chained log. Every change to the database appends here in the same
-- transaction. hash = SHA-256 over prev_hash and the row's fields (lib/event.c says how).
CREATE TABLE events (
	id          INTEGER PRIMARY KEY,
	at          TEXT NOT NULL,          -- UTC ISO 8601
	operator    TEXT NOT NULL,
	program     TEXT NOT NULL,
	kind        TEXT NOT NULL,          -- 'init', 'rules.load', 'intake', 'reception.add', ...; a case's
	                                    -- events use the names deadlines count from and are met by:
	                                    -- 'routed', 'accepted', 'instructed', 'resolved', ... (rules.c)
	petition_id INTEGER,                -- the case it is about, NULL for batch or global events
	data        TEXT NOT NULL,          -- JSON
	prev_hash   TEXT NOT NULL,
	hash        TEXT NOT NULL UNIQUE
);
CREATE INDEX events_petition ON events(petition_id) WHERE petition_id IS NOT NULL;

-- Case numbers: the last sequence number used per unit and year, so that numbers have no
-- gaps and no duplicates; taken under the write lock of the intake transaction.
CREATE TABLE case_seq (
	unit TEXT NOT NULL,
	year INTEGER NOT NULL,
	last INTEGER NOT NULL,
	PRIMARY KEY (unit, year)
) WITHOUT ROWID;

CREATE TABLE petitions (
	id           INTEGER PRIMARY KEY,
	case_no      TEXT NOT NULL UNIQUE,
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
	-- Same person and matter, for the repeat check: a 64-bit FNV-1a hash of id_number,
	-- NUL, category (NULL without an ID number). An integer keeps its index a third the size
	-- of one on the text, which is what a bulk intake spends its time updating; a lookup
	-- confirms matches on the columns themselves.
	repeat_key   INTEGER,
	-- Flags computed at intake from the rules in force.
	collective   INTEGER NOT NULL DEFAULT 0,
	repeat       INTEGER NOT NULL DEFAULT 0,
	named_letter INTEGER NOT NULL DEFAULT 0,
	-- Duplicate key: 'x:' unit and external_id when given (hashed when long), else 'f:' the
	-- received date and a fingerprint of the content; the date first keeps inserts of a
	-- date-ordered spreadsheet near each other in the index.
	dedup_key    TEXT NOT NULL UNIQUE,
	-- Current state, kept by the library together with the event that changes it.
	state        TEXT NOT NULL DEFAULT 'registered',
	holder       TEXT,                   -- who must act now
	outcome      TEXT,                   -- 支持 部分支持 解释 不支持
	satisfaction TEXT,                   -- 满意 基本满意 不满意
	event_id     INTEGER NOT NULL REFERENCES events(id) DEFERRABLE INITIALLY DEFERRED
	                                     -- the intake event; its data holds a digest of the rows
);
-- Indexes, each for a reader, kept few because every one slows a bulk intake:
-- reports select a period (and a unit within it) and group by unit or category, so one
-- index on (received_on, unit) serves them; lists of open cases go by state and unit;
-- intake's repeat check looks up earlier petitions of the same ID number and category.
-- case_no and dedup_key are UNIQUE above (dedup_key is intake's duplicate check).
-- Every column that references events is indexed: SQLite checks the (deferred) foreign key
-- by looking up children of the event row, which without an index scans the table.
CREATE INDEX petitions_period ON petitions(received_on, unit);
CREATE INDEX petitions_state ON petitions(state, unit);
CREATE INDEX petitions_repeat ON petitions(repeat_key, received_on) WHERE repeat_key IS NOT NULL;
CREATE INDEX petitions_event ON petitions(event_id);

-- Routing steps: who must do what on a case, in order (拆阅, 阅批, 办理, 督办).
CREATE TABLE steps (
	id          INTEGER PRIMARY KEY,
	petition_id INTEGER NOT NULL REFERENCES petitions(id),
	seq         INTEGER NOT NULL,
	holder      TEXT NOT NULL,
	action      TEXT NOT NULL,           -- open instruct handle supervise
	rule        TEXT,                    -- name of the routing rule, NULL when manual
	state       TEXT NOT NULL DEFAULT 'pending',  -- pending done cancelled
	done_on     TEXT,
	note        TEXT,
	event_id    INTEGER NOT NULL REFERENCES events(id),
	UNIQUE (petition_id, seq)
);
CREATE INDEX steps_holder ON steps(holder, state);
CREATE INDEX steps_event ON steps(event_id);

-- Leaders' reception days (接访) and coordination-group meetings.
CREATE TABLE receptions (
	id        INTEGER PRIMARY KEY,
	unit      TEXT NOT NULL,
	day       TEXT NOT NULL,             -- YYYY-MM-DD
	kind      TEXT NOT NULL DEFAULT 'reception' CHECK (kind IN ('reception', 'meeting')),
	leader    TEXT,
	place     TEXT,
	form      TEXT,                      -- 定点接访 约访 带案下访
	state     TEXT NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'held', 'cancelled')),
	held_by   TEXT,
	event_id  INTEGER NOT NULL REFERENCES events(id)
);
CREATE INDEX receptions_unit_day ON receptions(unit, day);
CREATE INDEX receptions_event ON receptions(event_id);

-- Quarterly reports sent up (and lower units' reports received for roll-up).
CREATE TABLE report_submissions (
	id          INTEGER PRIMARY KEY,
	unit        TEXT NOT NULL,
	period      TEXT NOT NULL,           -- e.g. 2026Q2
	submitted_on TEXT NOT NULL,
	data        TEXT NOT NULL,           -- the report as CSV
	event_id    INTEGER NOT NULL REFERENCES events(id),
	UNIQUE (unit, period)
);
CREATE INDEX report_submissions_event ON report_submissions(event_id);
