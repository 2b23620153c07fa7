-- The simulated bank's own books. It lives in schema banksim, apart from subsidyflow's
-- tables, as another system would. Every statement is idempotent: Migrate runs it at each
-- start.
CREATE SCHEMA IF NOT EXISTS banksim;

CREATE SEQUENCE IF NOT EXISTS banksim.bank_ref_seq;

-- One row per idempotency key: the key is the primary key, so a payment can be recorded
-- once only, whatever the concurrency.
CREATE TABLE IF NOT EXISTS banksim.payments (
    key            TEXT PRIMARY KEY CHECK (char_length(key) BETWEEN 1 AND 100),
    bank_ref       TEXT NOT NULL UNIQUE
                   DEFAULT ('SIM' || lpad(nextval('banksim.bank_ref_seq')::text, 12, '0')),
    bank_name      TEXT NOT NULL,
    account_name   TEXT NOT NULL,
    account_number TEXT NOT NULL,
    amount         NUMERIC(20,2) NOT NULL CHECK (amount > 0),
    reference      TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('accepted', 'settled', 'failed')),
    accepted_at    TIMESTAMPTZ NOT NULL,
    settle_after   TIMESTAMPTZ,
    settled_at     TIMESTAMPTZ,
    failure_code   TEXT NOT NULL DEFAULT '',
    failure_text   TEXT NOT NULL DEFAULT '',
    CHECK ((state = 'settled') = (settled_at IS NOT NULL)),
    CHECK ((state = 'failed') = (settle_after IS NULL)),
    CHECK ((state = 'failed') = (failure_code <> ''))
);

CREATE INDEX IF NOT EXISTS payments_due_idx
    ON banksim.payments (settle_after) WHERE state = 'accepted';
CREATE INDEX IF NOT EXISTS payments_settled_idx
    ON banksim.payments (settled_at) WHERE state = 'settled';

-- Pay calls per key, recorded or not; the scripted test accounts count on it.
CREATE TABLE IF NOT EXISTS banksim.attempts (
    key     TEXT PRIMARY KEY,
    calls   INTEGER NOT NULL CHECK (calls > 0),
    last_at TIMESTAMPTZ NOT NULL
);

-- The bank logs in as a role of its own that may use these books and nothing else: not
-- subsidyflow's tables, which grant nothing to it, nor more here than the simulator does
-- (no DELETE, no DDL). subsidyflow_bank holds the grants, subsidyflow_bank_login logs in
-- and inherits them. Roles are shared by every database of the server and another database
-- may be creating them right now: "already exists" and the unique-index race both mean done.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'subsidyflow_bank') THEN
        CREATE ROLE subsidyflow_bank NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END;
$$;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'subsidyflow_bank_login') THEN
        CREATE ROLE subsidyflow_bank_login LOGIN INHERIT
            NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
            IN ROLE subsidyflow_bank;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END;
$$;

GRANT USAGE ON SCHEMA banksim TO subsidyflow_bank;
GRANT SELECT, INSERT, UPDATE ON banksim.payments, banksim.attempts TO subsidyflow_bank;
GRANT USAGE ON SEQUENCE banksim.bank_ref_seq TO subsidyflow_bank;
