-- SQLite enforces no foreign key by default: real databases hold orphans (row 2).
PRAGMA foreign_keys = OFF;
INSERT INTO parent VALUES (1, 'p');
INSERT INTO child VALUES (1, 1, 'x'), (2, 99, 'y');
