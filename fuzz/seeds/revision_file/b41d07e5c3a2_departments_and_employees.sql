-- revision: b41d07e5c3a2
-- revises: 8f3a1c2e9b70
-- message: departments and employees
-- created: 2026-11-22 18:05:00+00:00

-- migrate:upgrade
CREATE TABLE departments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR(100) NOT NULL
);

CREATE TABLE employees (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    department_id INTEGER NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
    name VARCHAR(255) NOT NULL,
    hired_on DATE
);

CREATE INDEX ix_employees_department_id ON employees (department_id);

-- migrate:downgrade
DROP INDEX ix_employees_department_id;
DROP TABLE employees;
DROP TABLE departments;
