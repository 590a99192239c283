INSERT INTO Users VALUES (1, 'keep me');
INSERT INTO posts VALUES (1, 1);
