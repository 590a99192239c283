INSERT INTO language VALUES (1, 'English', '2006-02-15 05:02:19');
INSERT INTO actor VALUES (1, 'PENELOPE', 'GUINESS', '2006-02-15 04:34:33'), (2, 'NICK', 'WAHLBERG', '2006-02-15 04:34:33');
INSERT INTO film (film_id, title, description, release_year, language_id, length, rating, special_features, last_update)
    VALUES (1, 'ACADEMY DINOSAUR', 'A Epic Drama', '2006', 1, 86, 'PG', 'Deleted Scenes,Behind the Scenes', '2006-02-15 05:03:42');
INSERT INTO film_actor VALUES (1, 1, '2006-02-15 05:05:03'), (2, 1, '2006-02-15 05:05:03');
