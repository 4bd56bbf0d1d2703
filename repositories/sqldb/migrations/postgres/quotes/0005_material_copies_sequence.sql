-- A copy is ordered by the sequence of the event that made it (the
-- CloudEvents sequence materials' relay gives each event from its
-- outbox's commit order), no longer by a version of the material, which
-- no event carries: of two changes of one material that both have one,
-- the greater sequence is the later change, whatever materials' clock
-- said. 0, as every row written before, means the event had none, and
-- changed_at decides.
ALTER TABLE material_copies RENAME COLUMN version TO sequence;
