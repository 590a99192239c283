CREATE TABLE loose (a, b INT, c);
