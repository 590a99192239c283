INSERT INTO artist VALUES (1, 'AC/DC'), (2, 'Antônio Carlos Jobim'), (3, 'Os Mutantes'), (4, 'Guns N'' Roses');
INSERT INTO album VALUES (1, 'For Those About To Rock We Salute You', 1), (2, 'Warner 25 Anos', 2);
INSERT INTO genre VALUES (1, 'Rock'), (2, 'Bossa Nova');
INSERT INTO media_type VALUES (1, 'MPEG audio file');
INSERT INTO track VALUES (1, 'For Those About To Rock (We Salute You)', 1, 1, 1, 'Angus Young, Malcolm Young, Brian Johnson', 343719, 11170334, 0.99),
    (2, 'Garota de Ipanema', 2, 1, 2, NULL, 279536, NULL, 0.99);
INSERT INTO employee (employee_id, last_name, first_name, title) VALUES (1, 'Adams', 'Andrew', 'General Manager'), (2, 'Edwards', 'Nancy', NULL);
UPDATE employee SET reports_to = 1 WHERE employee_id = 2;
INSERT INTO customer (customer_id, first_name, last_name, company, email, support_rep_id)
    VALUES (1, 'Luís', 'Gonçalves', 'Embraer - Empresa Brasileira de Aeronáutica S.A.', 'luisg@embraer.com.br', 2),
           (2, 'Leonie', 'Köhler', NULL, 'leonekohler@surfeu.de', NULL);
INSERT INTO invoice VALUES (1, 2, '2021-01-01 00:00:00', 'Theodor-Heuss-Straße 34', 'Stuttgart', NULL, 'Germany', '70174', 1.98);
INSERT INTO invoice_line VALUES (1, 1, 1, 0.99, 2);
INSERT INTO playlist VALUES (1, 'Music'), (2, 'Música «brasileira»');
INSERT INTO playlist_track VALUES (1, 1), (2, 2);
