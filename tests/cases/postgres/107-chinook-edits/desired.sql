-- include: ../../shared/chinook-postgres.sql
-- edit:     name VARCHAR(120),\n    CONSTRAINT artist_pkey ==>     name VARCHAR(200) NOT NULL DEFAULT '',\n    CONSTRAINT artist_pkey
-- edit:     support_rep_id INT,\n ==>     support_rep_id INT,\n    loyalty_points INT NOT NULL DEFAULT 0,\n
-- edit: CREATE INDEX track_genre_id_idx ON track (genre_id); ==> CREATE INDEX track_genre_id_idx ON track (genre_id, name);

-- Appended to the shared schema:
CREATE UNIQUE INDEX customer_email_key ON customer (lower(email));

CREATE TABLE review (
    review_id INT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    track_id INT NOT NULL REFERENCES track (track_id) ON DELETE CASCADE,
    rating SMALLINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment TEXT
);
