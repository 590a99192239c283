CREATE TABLE tickets (id INT NOT NULL AUTO_INCREMENT, code VARCHAR(10) NOT NULL, note VARCHAR(20), PRIMARY KEY (code), KEY ix_tickets_id (id));
