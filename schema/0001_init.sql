-- The system of record: registry, programs and their double-entry ledger, reservations,
-- the budget queue, evidence, the claims read model, API tokens and idempotency keys.

CREATE TABLE enterprises (
    credit_code    text PRIMARY KEY,
    name           text NOT NULL,
    industry       text NOT NULL,
    employees      integer NOT NULL CHECK (employees >= 0),
    revenue        numeric(20,2) NOT NULL,
    assets         numeric(20,2) NOT NULL,
    region         char(6) NOT NULL,
    size_class     text NOT NULL,
    size_rule      text NOT NULL,
    bank_name      text NOT NULL DEFAULT '',
    account_name   text NOT NULL DEFAULT '',
    account_number text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE programs (
    id                  text PRIMARY KEY,
    kind                text NOT NULL,
    name                text NOT NULL,
    region              char(6) NOT NULL,
    period_start        date NOT NULL,
    period_end          date NOT NULL, -- exclusive
    four_eyes_threshold numeric(20,2) NOT NULL,
    deadline_days       integer NOT NULL,
    info_days           integer NOT NULL,
    payment_fix_days    integer NOT NULL,
    params              jsonb NOT NULL DEFAULT '{}',
    budget              numeric(20,2) NOT NULL DEFAULT 0,
    reserved            numeric(20,2) NOT NULL DEFAULT 0,
    committed           numeric(20,2) NOT NULL DEFAULT 0,
    created_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT programs_period CHECK (period_end > period_start),
    -- The last line of defence for "never over budget": whatever the code does, a
    -- transaction that would break it fails.
    CONSTRAINT programs_budget_invariant
        CHECK (reserved >= 0 AND committed >= 0 AND reserved + committed <= budget)
);

-- Double entry: every movement writes rows that sum to zero across the accounts.
CREATE TABLE ledger_entries (
    id          bigserial PRIMARY KEY,
    movement_id text NOT NULL,
    program_id  text NOT NULL REFERENCES programs (id),
    claim_id    text,
    account     text NOT NULL CHECK (account IN ('funding', 'available', 'reserved', 'committed')),
    amount      numeric(20,2) NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('budget', 'reserve', 'commit', 'release')),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_entries_program ON ledger_entries (program_id, id);
CREATE INDEX ledger_entries_claim ON ledger_entries (claim_id) WHERE claim_id IS NOT NULL;

CREATE TABLE reservations (
    claim_id    text PRIMARY KEY,
    program_id  text NOT NULL REFERENCES programs (id),
    credit_code text NOT NULL,
    requested   numeric(20,2) NOT NULL,
    amount      numeric(20,2) NOT NULL CHECK (amount >= 0),
    capped      boolean NOT NULL,
    state       text NOT NULL CHECK (state IN ('reserved', 'committed', 'released', 'refused')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reservations_holder ON reservations (program_id, credit_code);

-- Claims waiting for budget, first in first out by seq. cap NULL: no per-enterprise cap.
CREATE TABLE budget_queue (
    seq         bigserial PRIMARY KEY,
    program_id  text NOT NULL REFERENCES programs (id),
    claim_id    text NOT NULL UNIQUE,
    credit_code text NOT NULL,
    requested   numeric(20,2) NOT NULL,
    cap         numeric(20,2),
    enqueued_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX budget_queue_program ON budget_queue (program_id, seq);

-- A piece of evidence (waybill, invoice, contract, voucher) backs one live or paid claim.
CREATE TABLE evidence (
    id         bigserial PRIMARY KEY,
    kind       text NOT NULL,
    key        text NOT NULL,
    claim_id   text NOT NULL,
    line_index integer NOT NULL,
    state      text NOT NULL DEFAULT 'live' CHECK (state IN ('live', 'paid', 'released')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX evidence_once ON evidence (kind, key) WHERE state <> 'released';
CREATE INDEX evidence_claim ON evidence (claim_id);

-- The claims read model: what users see, written by the claim workflow step by step.
CREATE TABLE claims (
    id            text PRIMARY KEY,
    program_id    text NOT NULL REFERENCES programs (id),
    kind          text NOT NULL,
    credit_code   text NOT NULL,
    submitted_by  text NOT NULL,
    status        text NOT NULL,
    requested     numeric(20,2) NOT NULL,
    amount        numeric(20,2),
    payload       jsonb NOT NULL DEFAULT '{}',
    snapshot      jsonb,
    assessment    jsonb,
    approvals     jsonb NOT NULL DEFAULT '[]',
    escalated     boolean NOT NULL DEFAULT false,
    info_request  text NOT NULL DEFAULT '',
    info_response text NOT NULL DEFAULT '',
    reason        text NOT NULL DEFAULT '',
    reason_text   text NOT NULL DEFAULT '',
    payment       jsonb,
    workflow_id   text NOT NULL DEFAULT '',
    run_id        text NOT NULL DEFAULT '',
    step          integer NOT NULL DEFAULT 0, -- the last workflow step applied
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX claims_newest ON claims (created_at DESC, id DESC);
CREATE INDEX claims_program ON claims (program_id, created_at DESC, id DESC);
CREATE INDEX claims_credit_code ON claims (credit_code, created_at DESC, id DESC);
CREATE INDEX claims_status ON claims (status, created_at DESC, id DESC);

CREATE TABLE api_tokens (
    token_hash  text PRIMARY KEY, -- hex sha256 of the token; the token itself is never stored
    role        text NOT NULL,
    subject     text NOT NULL,
    credit_code text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

-- status 0 marks a request still in progress.
CREATE TABLE idempotency_keys (
    scope        text NOT NULL,
    key          text NOT NULL,
    request_hash text NOT NULL,
    status       integer NOT NULL DEFAULT 0,
    response     bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);
