CREATE TABLE flags (id INT PRIMARY KEY, e ENUM('a','b') NOT NULL DEFAULT 'a', s SET('x','y'));
