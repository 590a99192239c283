INSERT INTO articles (id, title, body) VALUES (1, 'MySQL tuning', 'Indexes and buffers.'), (2, 'Schema changes', 'Online DDL in InnoDB, with ALGORITHM=INPLACE.'), (3, 'Übersicht', 'Größe und Menge');
