-- coord schema, version 3: messages between sessions. Append-only; read marks per recipient; retention (30 days,
-- 5,000 messages per project) deletes the oldest rows, and their read marks with them.
CREATE TABLE coord_message (
    project    text NOT NULL REFERENCES coord_project (key),
    id         text NOT NULL,
    seq        bigserial,
    at         timestamptz NOT NULL,
    kind       text NOT NULL,
    thread     text NOT NULL,
    -- instance ids, or 'person'
    recipients text[] NOT NULL,
    doc        jsonb NOT NULL,
    PRIMARY KEY (project, id)
);
CREATE INDEX coord_message_time ON coord_message (project, seq);
CREATE INDEX coord_message_recipients ON coord_message USING gin (recipients);
CREATE INDEX coord_message_thread ON coord_message (project, thread);

CREATE TABLE coord_message_read (
    project    text NOT NULL,
    recipient  text NOT NULL,
    message_id text NOT NULL,
    PRIMARY KEY (project, recipient, message_id),
    FOREIGN KEY (project, message_id) REFERENCES coord_message (project, id) ON DELETE CASCADE
);
