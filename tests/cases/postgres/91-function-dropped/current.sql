CREATE TABLE sales (
    id integer PRIMARY KEY,
    region text NOT NULL,
    amount numeric(10,2) NOT NULL,
    sold_at date NOT NULL
);

CREATE FUNCTION order_total(p_order integer) RETURNS numeric
    LANGUAGE plpgsql STABLE
AS $$
DECLARE
    result numeric;
BEGIN
    SELECT sum(amount) INTO result FROM sales WHERE id = p_order;
    RETURN coalesce(result, 0);
END;
$$;
