INSERT INTO products VALUES ('A-1', 'Äpfel'), ('a-1', 'apples'), ('B_2', 'Bananen ''fresh''');
