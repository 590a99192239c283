INSERT INTO tickets VALUES (1, 'Login broken'), (2, 'Typo «here»');
