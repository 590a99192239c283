-- include: ../../shared/sakila-sqlite.sql
-- edit: CHECK(rating in ('G','PG','PG-13','R','NC-17')) ==> CHECK(rating in ('G','PG','PG-13','R','NC-17','X'))
-- edit:   length SMALLINT DEFAULT NULL,\n ==>   length SMALLINT DEFAULT NULL,\n  subtitle_language_id INT DEFAULT NULL,\n
-- edit:   last_update TIMESTAMP NOT NULL,\n  PRIMARY KEY  (actor_id)\n ==>   last_update TIMESTAMP NOT NULL,\n  nickname VARCHAR(45) DEFAULT NULL,\n  PRIMARY KEY  (actor_id)\n
-- edit:   picture BLOB DEFAULT NULL,\n ==>
CREATE INDEX idx_customer_lower_email ON customer (lower(email)) WHERE email IS NOT NULL;
