-- Important cases (重要信访事项), down-visits (带案下访) and the report back of a case handed
-- down (交办): petition-case(1) records them as events of the case (marked_important,
-- unmarked_important, down_visited, reported_back) with fixed keys in their data, and the
-- steps they add or finish as rows of steps; petition(7) says which. No row changes: old
-- cases keep their history, and a case no such event names is not important, has had no
-- down-visit and owes no report back.
--
-- The audit and the quarterly report select these events by kind over a period or for
-- every case; this index finds them without reading the whole log.
CREATE INDEX events_kind ON events(kind, petition_id) WHERE petition_id IS NOT NULL;
