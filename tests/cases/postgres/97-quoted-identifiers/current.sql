CREATE TABLE "user" (
    id integer PRIMARY KEY,
    "Display Name" text NOT NULL
);
