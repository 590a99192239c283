CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email VARCHAR(320) NOT NULL,
    first TEXT,
    last TEXT,
    age INT
);
CREATE INDEX ix_users_age ON users ((age + 1));
CREATE UNIQUE INDEX ix_users_lower_email ON users (lower(email));
create index ix_users_name on users(first || ' ' || last COLLATE NOCASE DESC, (lower(last)), age)
    where age IS NOT NULL;
CREATE INDEX "ix users ""quoted""" ON [users] (  abs( age )  );
