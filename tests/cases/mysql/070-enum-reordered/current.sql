CREATE TABLE shirts (id INT NOT NULL PRIMARY KEY, size ENUM('small','medium','large') NOT NULL DEFAULT 'medium');
