-- petition schema: the quarterly report sent up and received (petition-report(1), SUBMIT,
-- RECEIVE). The table of schema 1 kept one row per unit and period with the report as CSV;
-- no version of the toolkit ever wrote it (a row there came from outside the toolkit and no
-- event explained it), so it is replaced, not converted.
--
-- One row per submission file, sent (made here by `report submit`) or received (from a lower
-- unit by `report receive`), kept apart by direction. A corrected submission is a new row
-- that supersedes the one before it for the same direction, unit and period: both stay, and
-- the current one is the row no other row supersedes. content is the file exactly as made or
-- received; sha256 its digest (petition-report(1), THE SUBMISSION FILE); head_id and
-- head_hash the submitting unit's log head the figures are of; submitted_on the Beijing day
-- the unit made it (what its deadline is judged by); received_on the day it came in here.
DROP TABLE report_submissions;
CREATE TABLE report_submissions (
	id           INTEGER PRIMARY KEY,
	direction    TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
	unit         TEXT NOT NULL,
	period       TEXT NOT NULL,
	submitted_on TEXT NOT NULL,
	received_on  TEXT,
	made_at      TEXT NOT NULL,
	head_id      INTEGER NOT NULL,
	head_hash    TEXT NOT NULL,
	rules_sha256 TEXT NOT NULL,
	sha256       TEXT NOT NULL,
	content      TEXT NOT NULL,
	supersedes   INTEGER REFERENCES report_submissions(id),
	reason       TEXT,
	event_id     INTEGER NOT NULL REFERENCES events(id)
);
CREATE INDEX report_submissions_event ON report_submissions(event_id);
CREATE INDEX report_submissions_unit ON report_submissions(direction, unit, period);
-- A submission is superseded at most once: the history of a unit's period is a line.
CREATE UNIQUE INDEX report_submissions_supersedes ON report_submissions(supersedes) WHERE supersedes IS NOT NULL;
