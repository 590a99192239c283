CREATE TABLE shirts (id INT NOT NULL PRIMARY KEY, size ENUM('large','medium','small') NOT NULL DEFAULT 'medium');
