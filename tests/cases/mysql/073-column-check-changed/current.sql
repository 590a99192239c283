CREATE TABLE ratings (
    id INT NOT NULL PRIMARY KEY,
    stars TINYINT NOT NULL CHECK (stars BETWEEN 1 AND 5),
    votes INT NOT NULL DEFAULT 0 CHECK (votes >= 0),
    note VARCHAR(40) NULL CHECK (note <> '')
);
