CREATE TABLE customers (
    id integer PRIMARY KEY,
    email text NOT NULL,
    name varchar(100),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE departments (
    id integer PRIMARY KEY,
    name text NOT NULL,
    head_id integer
);

CREATE TABLE staff (
    id integer PRIMARY KEY,
    name text NOT NULL,
    department_id integer NOT NULL REFERENCES departments (id)
);

ALTER TABLE departments
    ADD CONSTRAINT departments_head_id_fkey FOREIGN KEY (head_id) REFERENCES staff (id)
    DEFERRABLE INITIALLY DEFERRED;
