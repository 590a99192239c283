CREATE TABLE users (id INT NOT NULL PRIMARY KEY, login VARCHAR(40) NOT NULL, KEY users_login (login));
