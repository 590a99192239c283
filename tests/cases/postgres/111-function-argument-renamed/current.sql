-- Functions whose arguments the desired schema renames (CREATE OR REPLACE refuses that:
-- the function is dropped and made again), and an overload it keeps.
CREATE FUNCTION add_one(n integer) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT n + 1 $$;

CREATE FUNCTION add_one(n bigint) RETURNS bigint
    LANGUAGE sql IMMUTABLE AS $$ SELECT n + 1 $$;

CREATE FUNCTION greet(who text) RETURNS text
    LANGUAGE plpgsql AS $$ BEGIN RETURN 'hello ' || who; END $$;
