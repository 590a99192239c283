CREATE TABLE files (id INT NOT NULL PRIMARY KEY, path TEXT NOT NULL, digest BLOB NOT NULL, KEY files_path (path(100)), UNIQUE KEY files_digest (digest(32)));
