CREATE TABLE t (
    id INTEGER PRIMARY KEY,
    state TEXT DEFAULT ('new' -- initial state
    ),
    note TEXT DEFAULT ('a--b' || 'c'),
    total INTEGER DEFAULT (1 -- one
        + 2)
);
