-- coord schema, version 2: edit claims. An edit claim is an exclusive lock taken by Claude Code's edit hook rather
-- than by the model (doc->>'auto' is true); the column lets people and queries tell them apart.
ALTER TABLE coord_lock ADD COLUMN auto boolean NOT NULL DEFAULT false;
