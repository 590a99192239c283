CREATE TABLE page_views (
    path text NOT NULL,
    viewed_at timestamptz NOT NULL
);
