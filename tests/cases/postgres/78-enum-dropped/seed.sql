INSERT INTO tickets VALUES (1, 'Login broken', 'open'), (2, 'Typo «here»', 'closed'), (3, 'Unsorted', NULL);
