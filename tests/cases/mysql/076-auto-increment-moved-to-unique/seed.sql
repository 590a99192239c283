INSERT INTO accounts (login) VALUES ('ann'), ('bob');
