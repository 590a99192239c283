CREATE TABLE logs (id INT NOT NULL AUTO_INCREMENT, shard INT NOT NULL, line VARCHAR(40), PRIMARY KEY (shard, id), KEY logs_id_line (id, line), KEY logs_line (line));
CREATE TABLE other (id INT NOT NULL, note TEXT, PRIMARY KEY (id));
