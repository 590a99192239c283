INSERT INTO tickets VALUES (1, 'Login isn''t working', 'open'), (2, 'Typo «here»', 'closed'), (3, 'Unsorted', NULL);
