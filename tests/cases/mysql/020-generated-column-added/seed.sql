INSERT INTO boxes VALUES (1, 2, 3), (2, 4, 5);
