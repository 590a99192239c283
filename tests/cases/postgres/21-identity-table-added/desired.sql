CREATE TABLE customers (
    id integer PRIMARY KEY,
    email text NOT NULL,
    name varchar(100),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE payments (
    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 1000 INCREMENT BY 10) PRIMARY KEY,
    customer_id integer NOT NULL,
    paid_at timestamptz NOT NULL DEFAULT now()
);
