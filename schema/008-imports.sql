-- petition schema: imports written in slices (petition(7), "Imports"). An import of many
-- rows into a database in use writes its petitions in short transactions, so that a clerk
-- at the counter never waits long for the write lock, and publishes them all at once with
-- its one event. Until then its rows are no one's: this table names the ids they take, and
-- every reader of the petitions leaves those ids out (PT_SEEN in lib/db.h); the rows point
-- to the event the import will append, whose number it reserved (event_id, a little after
-- the last event: the events appended meanwhile take the numbers before it). A killed
-- import leaves its row here; the next import removes its petitions (the owner, the host,
-- process id and start time of the process that writes it, tells a killed one from one
-- still running). Neither table is part of the log: the import's event says what it added,
-- and petition audit verify reports a row here that no running import explains.
CREATE TABLE imports (
	event_id INTEGER PRIMARY KEY,        -- the number the import's event will have
	first_id INTEGER NOT NULL,           -- the petitions it is writing: ids first_id..last_id
	last_id  INTEGER NOT NULL,
	owner    TEXT NOT NULL,              -- host:pid:start of the writing process
	started  TEXT NOT NULL               -- UTC ISO 8601
);
-- The case numbers an import took: the next petition of the unit and year numbered
-- meanwhile gets a number after last (case_seq keeps the numbers of the petitions there).
CREATE TABLE import_seqs (
	event_id INTEGER NOT NULL,           -- the import's (imports.event_id)
	unit     TEXT NOT NULL,
	year     INTEGER NOT NULL,
	last     INTEGER NOT NULL,
	PRIMARY KEY (event_id, unit, year)
);
