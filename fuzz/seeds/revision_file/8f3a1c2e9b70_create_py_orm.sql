-- revision: 8f3a1c2e9b70
-- revises:
-- message: create py_orm
-- created: 2026-11-22 18:00:00+00:00

-- migrate:upgrade
CREATE TABLE py_orm (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR(255) NOT NULL DEFAULT '',
    attr JSON NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- migrate:downgrade
DROP TABLE py_orm;
