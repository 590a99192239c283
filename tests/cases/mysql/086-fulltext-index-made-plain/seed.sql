INSERT INTO posts VALUES (1, 'some text'), (2, 'more text');
