-- An idempotent request and what it creates are one fact: the transaction that creates the
-- resource (a claim, an enterprise, a program, a budget raise, a loan) writes its id here.
-- A retry that takes over the key of a request that died after that commit answers with
-- the stored resource instead of creating a second one.
ALTER TABLE idempotency_keys ADD COLUMN resource text;
