CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);
