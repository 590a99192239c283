-- revision: f19b3d8c6e27
-- revises: e7c04f9d2a15
-- message: add users name index
-- created: 2026-11-22 18:20:00+00:00

-- migrate:upgrade
CREATE INDEX ix_users_name ON users (name);

-- migrate:downgrade
DROP INDEX ix_users_name;
