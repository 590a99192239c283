INSERT INTO files (id, path, digest) VALUES (1, '/etc/hosts', UNHEX('0123456789ABCDEF')), (2, '/srv/Größe.txt', UNHEX('FEDCBA9876543210'));
