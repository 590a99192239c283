CREATE TABLE sales (
    id integer PRIMARY KEY,
    region text NOT NULL,
    amount numeric(10,2) NOT NULL,
    sold_at date NOT NULL
);

CREATE FUNCTION region_label(region text) RETURNS text
    LANGUAGE sql IMMUTABLE
    RETURN upper(region) || ' (' || length(region) || ')';

CREATE FUNCTION sales_since(since date) RETURNS SETOF sales
    LANGUAGE sql STABLE
AS $$
    SELECT * FROM sales WHERE sold_at >= since ORDER BY sold_at;
$$;
