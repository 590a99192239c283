CREATE TABLE ratings (
    id INT NOT NULL PRIMARY KEY,
    stars TINYINT NOT NULL CHECK (stars BETWEEN 0 AND 10),
    votes INT NOT NULL DEFAULT 0 COMMENT 'how many' CHECK (votes >= 0),
    note VARCHAR(40) NULL
);
