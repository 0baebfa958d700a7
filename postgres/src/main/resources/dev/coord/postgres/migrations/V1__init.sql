-- coord schema, version 1. Every row belongs to a project (one repository); coord_project's row is the lock that
-- serializes the operations of one project. Rows keep the engine's record as JSON in "doc" (the source of truth
-- for the rules) next to the columns that queries and people need.

CREATE TABLE coord_project (
    key        text PRIMARY KEY,
    next_rev   bigint NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Fencing tokens of every project: only grow, never reused, survive restarts.
CREATE SEQUENCE coord_token_seq AS bigint START 1;

CREATE TABLE coord_instance (
    project        text NOT NULL REFERENCES coord_project (key),
    id             text NOT NULL,
    host           text NOT NULL,
    pid            bigint NOT NULL,
    last_heartbeat timestamptz NOT NULL,
    ord            bigint NOT NULL,
    doc            jsonb NOT NULL,
    PRIMARY KEY (project, id)
);

-- Lock leases: a lease is void once expires_at (judged by the database clock) has passed.
CREATE TABLE coord_lock (
    project    text NOT NULL REFERENCES coord_project (key),
    token      bigint NOT NULL,
    path       text NOT NULL,
    mode       text NOT NULL,
    holder     text NOT NULL,
    expires_at timestamptz NOT NULL,
    ord        bigint NOT NULL,
    doc        jsonb NOT NULL,
    PRIMARY KEY (project, token)
);

CREATE TABLE coord_waiter (
    project  text NOT NULL REFERENCES coord_project (key),
    instance text NOT NULL,
    deadline timestamptz NOT NULL,
    ord      bigint NOT NULL,
    doc      jsonb NOT NULL,
    PRIMARY KEY (project, instance)
);

CREATE TABLE coord_release_mark (
    project text NOT NULL REFERENCES coord_project (key),
    path    text NOT NULL,
    ord     bigint NOT NULL,
    doc     jsonb NOT NULL,
    PRIMARY KEY (project, path)
);
-- ord comes from coord_token_seq: the least recently released marks are pruned first.
CREATE INDEX coord_release_mark_ord ON coord_release_mark (project, ord);

-- Tombstones of instances declared dead, and notices pending per instance (doc: a JSON array).
CREATE TABLE coord_tombstone (
    project text NOT NULL REFERENCES coord_project (key),
    k       text NOT NULL,
    ord     bigint NOT NULL,
    doc     jsonb NOT NULL,
    PRIMARY KEY (project, k)
);

CREATE TABLE coord_notice (
    project  text NOT NULL REFERENCES coord_project (key),
    instance text NOT NULL,
    ord      bigint NOT NULL,
    doc      jsonb NOT NULL,
    PRIMARY KEY (project, instance)
);

CREATE TABLE coord_mission (
    project    text NOT NULL REFERENCES coord_project (key),
    mission_id text NOT NULL,
    state      text NOT NULL,
    claimed_by text NOT NULL,
    rev        bigint NOT NULL,
    ord        bigint NOT NULL,
    doc        jsonb NOT NULL,
    PRIMARY KEY (project, mission_id)
);

CREATE TABLE coord_decision (
    project     text NOT NULL REFERENCES coord_project (key),
    id          text NOT NULL,
    seq         bigserial,
    category    text NOT NULL,
    created_at  timestamptz NOT NULL,
    supersedes  text,
    -- lower-case title, description, category and tags, as the file store searches them
    search_text text NOT NULL,
    doc         jsonb NOT NULL,
    PRIMARY KEY (project, id)
);
CREATE INDEX coord_decision_category ON coord_decision (project, lower(category), created_at DESC);
CREATE INDEX coord_decision_time ON coord_decision (project, created_at DESC, seq DESC);
CREATE INDEX coord_decision_supersedes ON coord_decision (project, supersedes) WHERE supersedes IS NOT NULL;

-- Per project and UTC day: the last sequence number of a DEC-YYYYMMDD-NNNN id.
CREATE TABLE coord_decision_day (
    project  text NOT NULL REFERENCES coord_project (key),
    day      text NOT NULL,
    last_seq integer NOT NULL,
    PRIMARY KEY (project, day)
);

CREATE TABLE coord_audit (
    seq      bigserial PRIMARY KEY,
    project  text NOT NULL REFERENCES coord_project (key),
    at       timestamptz NOT NULL,
    event    text NOT NULL,
    instance text,
    path     text,
    token    bigint,
    details  jsonb
);
CREATE INDEX coord_audit_project ON coord_audit (project, seq);

-- Substring search on decisions: a trigram index when the pg_trgm extension can be created here (it is trusted
-- since PostgreSQL 13: a database owner may create it). Without it the search still works, by scanning.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX coord_decision_text ON coord_decision USING gin (search_text gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm unavailable (%); decision text search scans', SQLERRM;
END
$$;
