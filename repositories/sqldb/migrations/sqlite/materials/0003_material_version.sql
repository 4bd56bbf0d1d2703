-- The version of a material counts its writes: 1 when it is created, one
-- more with every update. It is the material's ETag, and a conditional
-- update or delete names it in its WHERE clause, so that the check and
-- the write are one statement and of two writers who read the same
-- version only one succeeds. Every existing material starts at 1.
ALTER TABLE materials ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);
