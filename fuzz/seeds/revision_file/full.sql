-- revision: a1b2c3d4e5f6
-- revises: aaaa, bbbb
-- depends_on: cccc
-- branch_labels: feature-x, y_2
-- message: merge
-- created: 2026-11-22 18:00:00+00:00
-- transaction: none

-- migrate:upgrade
CREATE INDEX CONCURRENTLY i ON t (a);

-- migrate:downgrade
DROP INDEX i;
