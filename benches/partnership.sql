-- The heart of `report --level partnership --period 2025-26` over the exported rows (the
-- `outcomes` table of `talking-points export`), for timing against other engines: the
-- latest review of each person and outcome in the financial year (a window), then its
-- status counted per partnership, framework and outcome (GROUP BY). Plain SQL that
-- SQLite and DuckDB both run. `sql/rollup.sql` is the complete set of rules.
SELECT partnership, framework, outcome_id, status, count(*) AS people
FROM (
  SELECT partnership, framework, outcome_id, status,
         row_number() OVER (PARTITION BY person_key, framework, outcome_id
                            ORDER BY CAST(sequence AS INTEGER) DESC) AS latest
  FROM outcomes
  WHERE stage = 'review' AND financial_year = '2025-26' AND framework <> ''
) AS r
WHERE latest = 1 AND status IN ('met', 'partly_met', 'not_met', 'no_longer_relevant')
GROUP BY partnership, framework, outcome_id, status
ORDER BY partnership, framework, outcome_id, status;
