CREATE TABLE tickets (id INT NOT NULL AUTO_INCREMENT, code VARCHAR(10) NOT NULL, PRIMARY KEY (code), KEY tickets_id (id, code));
