INSERT INTO settings (key) VALUES ('k1');
