-- The same schema, written differently: case, spacing, spelled-out types.
create table CUSTOMERS (
    ID int4 primary key,
    EMAIL text not null,
    NAME character varying(100),
    CREATED_AT timestamp with time zone not null default NOW()
);
create index customers_email_idx on customers (LOWER(email));
create view recent_customers as select id, email from customers where created_at > now() - interval '7 days';
