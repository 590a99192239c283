CREATE TABLE readings (id INT NOT NULL, sensor INT NOT NULL, taken DATETIME NOT NULL, PRIMARY KEY (sensor, taken));
