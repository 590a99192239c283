CREATE TABLE measurements (
    sensor_id integer NOT NULL,
    taken_at timestamptz NOT NULL,
    value double precision
) PARTITION BY RANGE (taken_at);

CREATE TABLE measurements_2024 PARTITION OF measurements
    FOR VALUES FROM ('2024-01-01 00:00+00') TO ('2025-01-01 00:00+00');

CREATE TABLE measurements_2025 PARTITION OF measurements
    FOR VALUES FROM ('2025-01-01 00:00+00') TO ('2026-01-01 00:00+00');

CREATE TABLE sensors (
    id integer PRIMARY KEY,
    label text NOT NULL
);
