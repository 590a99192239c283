CREATE TABLE logs (id INT NOT NULL AUTO_INCREMENT, shard INT NOT NULL, line TEXT, PRIMARY KEY (shard, id), KEY logs_id (id));
