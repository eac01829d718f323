-- Recomputes every number `talking-points report` publishes, from a data package written
-- by `talking-points export --out DIR`, before disclosure control (`report --suppress 0`).
-- SQLite dialect. The result is the table `rollup_long`, with the columns of
-- `report --format csv --table long` (level, unit, period, measure, framework, outcome_id,
-- term, value) for all four levels; counts of zero are left out.
--
-- Before running it, load the package and say which period and day to count for:
--
--   sqlite3 rollup.db '.read DIR/schema.sql'
--   for t in people conversations outcomes outcome_definitions outcome_national; do
--     sqlite3 rollup.db ".import --csv --skip 1 DIR/$t.csv $t"; done
--   sqlite3 rollup.db "CREATE TABLE params AS SELECT '2025-26' AS period,
--     '2025-04-01' AS period_start, '2026-03-31' AS period_end, '2026-11-23' AS today;"
--   sqlite3 rollup.db '.read sql/rollup.sql' 'SELECT * FROM rollup_long;'
--
-- The rules are the roll-up's (see the README's Reports section): the latest review of each
-- person and outcome in the period counts once, "latest" by `sequence`; an outcome is
-- planned when a plan dated by the period's end names it and no later review dated before
-- the period closed it; a plan counts as reviewed (for overdue reviews and plans reviewed
-- by their agreed date) only once reviews after it (by `sequence`: a review recorded
-- before a plan on the same day is not a review of it) have covered every outcome it
-- named. Unit names are matched without regard to (ASCII) case.

DROP TABLE IF EXISTS rollup_long;

CREATE TEMP TABLE p AS
SELECT period, period_start AS s, period_end AS e, today,
       min(today, period_end) AS as_of
FROM params LIMIT 1;

-- Each person in one unit per level.
CREATE TEMP TABLE person_unit AS
WITH raw AS (
  SELECT person_key, 'service' AS level, service AS name FROM people
  UNION ALL SELECT person_key, 'organisation', organisation FROM people
  UNION ALL SELECT person_key, 'partnership', partnership FROM people
  UNION ALL SELECT person_key, 'national', partnership FROM people
), named AS (
  SELECT person_key, level,
         CASE WHEN trim(coalesce(name, '')) = '' THEN '(none)' ELSE trim(name) END AS name
  FROM raw
)
SELECT person_key, level, lower(name) AS ukey, name FROM named;

CREATE TEMP TABLE unit_name AS
SELECT level, ukey, min(name) AS unit FROM person_unit GROUP BY level, ukey;

CREATE TEMP TABLE pu AS
SELECT u.person_key, u.level, n.unit
FROM person_unit u JOIN unit_name n ON n.level = u.level AND n.ukey = u.ukey;

-- Outcome rows the roll-up can place, in the period's reach.
CREATE TEMP TABLE o AS
SELECT person_key, framework, outcome_id, stage, date, CAST(sequence AS INTEGER) AS seq,
       status, next, contributors, barriers
FROM outcomes
WHERE coalesce(framework, '') <> '' AND date <= (SELECT e FROM p);

-- Planned: the last plan naming the outcome comes after the last close before the period.
CREATE TEMP TABLE planned AS
SELECT person_key, framework, outcome_id
FROM o
GROUP BY person_key, framework, outcome_id
HAVING max(CASE WHEN stage = 'planning' THEN seq END) >
       coalesce(max(CASE WHEN stage = 'review' AND next = 'close'
                          AND date < (SELECT s FROM p) THEN seq END), 0);

-- The latest review of each person and outcome within the period, when it has one of the
-- four statuses counted.
CREATE TEMP TABLE latest AS
WITH last AS (
  SELECT person_key, framework, outcome_id, max(seq) AS seq
  FROM o
  WHERE stage = 'review' AND date >= (SELECT s FROM p)
  GROUP BY person_key, framework, outcome_id
)
SELECT o.person_key, o.framework, o.outcome_id, o.status,
       coalesce(o.contributors, '') AS contributors, coalesce(o.barriers, '') AS barriers
FROM o JOIN last l
  ON l.person_key = o.person_key AND l.framework = o.framework
 AND l.outcome_id = o.outcome_id AND l.seq = o.seq AND o.stage = 'review'
WHERE o.status IN ('met', 'partly_met', 'not_met', 'no_longer_relevant');

-- Barriers and contributors named in those reviews, each once per review.
CREATE TEMP TABLE tags AS
WITH RECURSIVE split(person_key, framework, outcome_id, kind, tag, rest) AS (
  SELECT person_key, framework, outcome_id, 'barrier', '', barriers || ';'
  FROM latest WHERE barriers <> ''
  UNION ALL
  SELECT person_key, framework, outcome_id, 'contributor', '', contributors || ';'
  FROM latest WHERE contributors <> ''
  UNION ALL
  SELECT person_key, framework, outcome_id, kind,
         substr(rest, 1, instr(rest, ';') - 1), substr(rest, instr(rest, ';') + 1)
  FROM split WHERE rest <> ''
)
SELECT DISTINCT person_key, framework, outcome_id, kind, tag FROM split WHERE tag <> '';

-- Framework-outcome counts per unit, as (measure, value) pairs.
CREATE TEMP TABLE fw_counts AS
SELECT pu.level, pu.unit, x.framework, x.outcome_id, x.measure, x.term, count(*) AS value
FROM (
  SELECT person_key, framework, outcome_id, 'people_planned' AS measure, NULL AS term FROM planned
  UNION ALL SELECT person_key, framework, outcome_id, 'reviewed', NULL FROM latest
  UNION ALL SELECT person_key, framework, outcome_id, status, NULL FROM latest
  UNION ALL SELECT person_key, framework, outcome_id, kind, tag FROM tags
) x JOIN pu ON pu.person_key = x.person_key
GROUP BY pu.level, pu.unit, x.framework, x.outcome_id, x.measure, x.term;

-- Plans and reviews, for overdue reviews and plans reviewed on time.
CREATE TEMP TABLE plans AS
SELECT person_key, record_key, date, CAST(sequence AS INTEGER) AS seq,
       NULLIF(review_by, '') AS review_by
FROM conversations WHERE stage = 'planning' AND date <= (SELECT e FROM p);

CREATE TEMP TABLE reviews AS
SELECT person_key, date, CAST(sequence AS INTEGER) AS seq FROM conversations
WHERE stage = 'review' AND date <= (SELECT e FROM p);

-- The outcomes each plan named, and each outcome a review covered (by outcome id).
CREATE TEMP TABLE plan_outcomes AS
SELECT DISTINCT record_key, outcome_id FROM outcomes WHERE stage = 'planning';

CREATE TEMP TABLE review_outcomes AS
SELECT DISTINCT person_key, date, CAST(sequence AS INTEGER) AS seq, outcome_id FROM outcomes
WHERE stage = 'review' AND date <= (SELECT e FROM p);

CREATE INDEX temp.reviews_by_person ON reviews (person_key, seq);
CREATE INDEX temp.plan_outcomes_by_plan ON plan_outcomes (record_key);
CREATE INDEX temp.review_outcomes_by_person ON review_outcomes (person_key, outcome_id, seq);

-- A plan is reviewed by a day when reviews of the person after the plan (a higher `seq`)
-- and dated up to that day (at least one) together cover every outcome the plan named:
-- `by_agreed` to its agreed review date, `by_as_of` to the as-of date.
CREATE TEMP TABLE plan_reviewed AS
SELECT pl.person_key, pl.record_key, pl.seq, pl.date, pl.review_by,
       (EXISTS (SELECT 1 FROM reviews r WHERE r.person_key = pl.person_key
                AND r.seq > pl.seq AND r.date <= pl.review_by)
        AND NOT EXISTS (
          SELECT 1 FROM plan_outcomes po WHERE po.record_key = pl.record_key
          AND NOT EXISTS (SELECT 1 FROM review_outcomes ro
                          WHERE ro.person_key = pl.person_key AND ro.outcome_id = po.outcome_id
                          AND ro.seq > pl.seq AND ro.date <= pl.review_by))) AS by_agreed,
       (EXISTS (SELECT 1 FROM reviews r WHERE r.person_key = pl.person_key
                AND r.seq > pl.seq AND r.date <= (SELECT as_of FROM p))
        AND NOT EXISTS (
          SELECT 1 FROM plan_outcomes po WHERE po.record_key = pl.record_key
          AND NOT EXISTS (SELECT 1 FROM review_outcomes ro
                          WHERE ro.person_key = pl.person_key AND ro.outcome_id = po.outcome_id
                          AND ro.seq > pl.seq
                          AND ro.date <= (SELECT as_of FROM p)))) AS by_as_of
FROM plans pl;

-- Plans due in the period (agreed review date within it and before today); on time when
-- reviewed in full by the agreed date.
CREATE TEMP TABLE due AS
SELECT person_key, by_agreed AS on_time
FROM plan_reviewed
WHERE review_by >= (SELECT s FROM p) AND review_by <= (SELECT e FROM p)
  AND review_by < (SELECT today FROM p);

-- Overdue: the person's latest plan dated by the as-of date has an agreed review date
-- before today and not after the period, and is not reviewed in full by the as-of date.
CREATE TEMP TABLE overdue AS
WITH last AS (
  SELECT person_key, max(seq) AS seq FROM plans
  WHERE date <= (SELECT as_of FROM p) GROUP BY person_key
)
SELECT pr.person_key
FROM plan_reviewed pr JOIN last l ON l.person_key = pr.person_key AND l.seq = pr.seq
WHERE pr.review_by < (SELECT today FROM p) AND pr.review_by <= (SELECT e FROM p)
  AND NOT pr.by_as_of;

-- Carers: rated when at least one "managing the caring role" outcome was rated met,
-- partly met or not met; supported when every such outcome was met.
CREATE TEMP TABLE carers AS
SELECT l.person_key, min(l.status = 'met') AS all_met
FROM latest l JOIN outcome_definitions d
  ON d.framework = l.framework AND d.outcome_id = l.outcome_id
WHERE d.person_kind = 'carer' AND d.category = 'managing_caring_role'
  AND l.status IN ('met', 'partly_met', 'not_met')
GROUP BY l.person_key;

-- Measures made from outcome rows: met among met, partly met and not met.
CREATE TEMP TABLE share AS
SELECT l.person_key,
       CASE WHEN d.person_kind = 'adult' AND l.outcome_id = 'feeling_safe' THEN 'feeling_safe'
            ELSE 'had_a_say' END AS measure,
       l.status = 'met' AS met
FROM latest l JOIN outcome_definitions d
  ON d.framework = l.framework AND d.outcome_id = l.outcome_id
WHERE l.status IN ('met', 'partly_met', 'not_met')
  AND ((d.person_kind = 'adult' AND l.outcome_id IN ('feeling_safe', 'having_a_say'))
    OR (d.person_kind = 'carer' AND l.outcome_id = 'say_in_services'));

CREATE TABLE rollup_long AS
WITH unit_counts AS (
  SELECT pu.level, pu.unit, x.measure, sum(x.v) AS value
  FROM (
    SELECT person_key, 'people' AS measure, 1 AS v FROM people
    UNION ALL SELECT person_key, 'overdue_reviews', 1 FROM overdue
    UNION ALL SELECT person_key, 'plans_due', 1 FROM due
    UNION ALL SELECT person_key, 'plans_reviewed_on_time', on_time FROM due
    UNION ALL SELECT person_key, 'carers_supported_denominator', 1 FROM carers
    UNION ALL SELECT person_key, 'carers_supported_numerator', all_met FROM carers
    UNION ALL SELECT person_key, measure || '_denominator', 1 FROM share
    UNION ALL SELECT person_key, measure || '_numerator', met FROM share
  ) x JOIN pu ON pu.person_key = x.person_key
  GROUP BY pu.level, pu.unit, x.measure
)
SELECT level, unit, (SELECT period FROM p) AS period, measure,
       NULL AS framework, NULL AS outcome_id, NULL AS term, value
FROM unit_counts WHERE value > 0
UNION ALL
SELECT level, unit, (SELECT period FROM p), measure, framework, outcome_id, term, value
FROM fw_counts WHERE level <> 'national'
UNION ALL
-- The national view adds each framework outcome into every national outcome it maps to.
SELECT c.level, c.unit, (SELECT period FROM p), c.measure, 'national',
       CAST(n.national_outcome AS TEXT), c.term, sum(c.value)
FROM fw_counts c JOIN outcome_national n
  ON n.framework = c.framework AND n.outcome_id = c.outcome_id
WHERE c.level = 'national'
GROUP BY c.level, c.unit, c.measure, n.national_outcome, c.term;
