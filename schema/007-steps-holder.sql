-- petition schema: steps_holder (holder, state), of schema 1, has no reader. Every look-up of
-- steps goes by case (the UNIQUE (petition_id, seq) index: a case's steps, its pending ones,
-- its first new holder after routing, the report's holders of a period's cases) or by event
-- (steps_event: the replay's digest of a routing run, the due list's events of steps); a
-- holder's work is listed from petitions.holder (petition case list --holder). Its entries
-- went to one place per holder, so its pages split half full, and it cost a routing run
-- 0.4-0.6 s of the 2.7 s that the same writes take in SQL at 200,000 cases
-- (bench/README.md, "route", "What SQLite needs").
DROP INDEX steps_holder;
