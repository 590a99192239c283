INSERT INTO "order items" VALUES (1, 'a');
