INSERT INTO country (country_id, country) VALUES (1, 'France'), (2, 'Türkiye');
INSERT INTO city (city_id, city, country_id) VALUES (1, 'Besançon', 1), (2, 'İstanbul', 2);
INSERT INTO address (address_id, address, address2, district, city_id, postal_code, phone)
    VALUES (1, '1 rue de l''Église', NULL, 'Doubs', 1, '25000', '+33 3 81'), (2, 'İstiklal Cd. 5', NULL, 'Beyoğlu', 2, NULL, '');
INSERT INTO language (language_id, name) VALUES (1, 'English'), (2, 'Français');
INSERT INTO film (film_id, title, description, release_year, language_id, original_language_id, length, rating, special_features, fulltext)
    VALUES (1, 'ACADEMY DINOSAUR', 'A ''Epic'' Drama', 2006, 1, NULL, 86, 'PG', '{"Deleted Scenes","Behind the Scenes"}', to_tsvector('academy dinosaur')),
           (2, 'LE DÎNER', NULL, NULL, 2, 1, NULL, NULL, NULL, to_tsvector('simple', 'dîner'));
INSERT INTO actor (actor_id, first_name, last_name) VALUES (1, 'PENELOPE', 'GUINESS'), (2, 'Zoë', 'Ünal');
INSERT INTO film_actor (actor_id, film_id) VALUES (1, 1), (2, 2);
INSERT INTO category (category_id, name) VALUES (1, 'Action'), (2, 'Comédie');
INSERT INTO film_category (film_id, category_id) VALUES (1, 1), (2, 2);
