-- petition schema: the law at intake (same person and matter, finality, 越级, letters naming
-- someone who is not a leader; petition-intake(1), petition(7)). Existing rows are not
-- rewritten: the new columns are NULL or 0 on them.
--
-- matter_key: same person and same matter, for the repeat, finality and 越级 checks: a 64-bit
-- FNV-1a hash of the person (the ID number, else the name and the phone) and the matter (the
-- employer and the category); NULL when the person cannot be told (no ID number, no phone).
-- A look-up confirms matches on the columns themselves. Rows registered from now on leave
-- repeat_key NULL; the rows before keep theirs, and intake still finds them by it (same ID
-- number and category, confirmed on the employer), so the old index serves the old rows only.
ALTER TABLE petitions ADD COLUMN matter_key INTEGER;
-- The earlier case this one repeats (petitions.id): found at intake, or named by the clerk
-- (repeat_of); a correction later is an event of its own ('repeat_marked').
ALTER TABLE petitions ADD COLUMN repeat_of INTEGER;
-- The earlier case of the same person and matter decided on re-review (复核) before this one
-- was received: the matter is final (终结) and routing proposes 不予受理.
ALTER TABLE petitions ADD COLUMN final_of INTEGER;
-- The unit competent for the matter (属地工会: the worker's own county or township union), and
-- whether the petition skipped it (越级).
ALTER TABLE petitions ADD COLUMN competent_unit TEXT;
ALTER TABLE petitions ADD COLUMN skip_level INTEGER NOT NULL DEFAULT 0;
-- A letter naming someone who is not a leader in the rules (addressed_to as written).
ALTER TABLE petitions ADD COLUMN addressed_unknown INTEGER NOT NULL DEFAULT 0;
CREATE INDEX petitions_matter ON petitions(matter_key, received_on) WHERE matter_key IS NOT NULL;
