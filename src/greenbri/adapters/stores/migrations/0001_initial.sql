-- The PostGIS store's first layout.
--   greenbri           the catalog: one row per dataset, versions, number counters
--   greenbri_versions  one table per version of a vector layer or table (immutable once committed)
--   greenbri_latest    one view per dataset, named by its id, over its latest version (for SQL users)
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE SCHEMA IF NOT EXISTS greenbri;
CREATE SCHEMA IF NOT EXISTS greenbri_versions;
CREATE SCHEMA IF NOT EXISTS greenbri_latest;

-- The record is DatasetRecord.to_dict(), exactly one entry of the embedded store's catalog.json.
CREATE TABLE greenbri.datasets (
    id text PRIMARY KEY,
    record jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The highest version number ever handed out per dataset; it outlives deletes so that a
-- number is never reused. A number is reserved (committed) before its version is written.
CREATE TABLE greenbri.version_numbers (
    dataset_id text PRIMARY KEY,
    last_number integer NOT NULL CHECK (last_number > 0)
);

-- Where each version's data lives: a table in greenbri_versions (layers and tables, with the
-- serialised Arrow schema that gives the written column types back), or the document's bytes.
CREATE TABLE greenbri.version_storage (
    dataset_id text NOT NULL REFERENCES greenbri.datasets (id) ON DELETE CASCADE,
    number integer NOT NULL,
    table_name text,
    arrow_schema bytea,
    geometry_column text,
    document bytea,
    PRIMARY KEY (dataset_id, number),
    CHECK ((table_name IS NULL) <> (document IS NULL))
);
