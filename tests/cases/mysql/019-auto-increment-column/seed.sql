INSERT INTO counters VALUES (1, 'one'), (5, 'five');
