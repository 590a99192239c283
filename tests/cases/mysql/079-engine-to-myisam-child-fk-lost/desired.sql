CREATE TABLE authors (id INT NOT NULL, name VARCHAR(40), PRIMARY KEY (id)) ENGINE=InnoDB;
CREATE TABLE books (id INT NOT NULL, author_id INT, title VARCHAR(80), PRIMARY KEY (id), CONSTRAINT books_author FOREIGN KEY (author_id) REFERENCES authors (id)) ENGINE=MyISAM;
