INSERT INTO stays (id, guest, nights, room) VALUES (1, 'Ann', 3, '101A'), (2, 'Bob', 1, '202B');
