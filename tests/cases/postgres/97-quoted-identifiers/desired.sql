CREATE TABLE "user" (
    id integer PRIMARY KEY,
    "Display Name" text NOT NULL,
    "group" text DEFAULT 'staff'
);

CREATE TABLE "order" (
    id integer PRIMARY KEY,
    "user" integer NOT NULL REFERENCES "user" (id),
    "Mixed Case" numeric(8,2),
    "select" boolean NOT NULL DEFAULT false,
    CONSTRAINT "Order Check" CHECK ("Mixed Case" >= 0)
);

CREATE INDEX "Order By User" ON "order" ("user", "Mixed Case" DESC);

COMMENT ON COLUMN "order"."Mixed Case" IS 'a "quoted" name';
