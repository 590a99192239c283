CREATE TABLE authors (id INT NOT NULL PRIMARY KEY, name VARCHAR(40) NOT NULL);
CREATE TABLE books (
    id INT NOT NULL PRIMARY KEY,
    author_id INT NULL,
    title VARCHAR(80) NOT NULL,
    KEY books_author (author_id),
    CONSTRAINT books_author_fk FOREIGN KEY (author_id) REFERENCES authors (id) ON DELETE SET NULL ON UPDATE CASCADE
);
