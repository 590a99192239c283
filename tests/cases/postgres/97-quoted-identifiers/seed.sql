INSERT INTO "user" VALUES (1, 'Ann "the admin"'), (2, 'Jörg ''J''');
