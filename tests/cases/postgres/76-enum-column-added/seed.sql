INSERT INTO tickets VALUES (1, 'Login isn''t working'), (2, 'Typo «here»');
