INSERT INTO settings (key) VALUES ('k1'), ('k2');
