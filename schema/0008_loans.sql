-- Registered loans of the interest subsidy. A loan's process (LoanWorkflow, "loan/<id>")
-- writes its schedule here as it goes, so the API reads the loan from PostgreSQL, not from
-- Temporal. Each period's payout is an ordinary claim (kind interest) named in periods.
CREATE TABLE loans (
    id           text PRIMARY KEY,
    program_id   text NOT NULL REFERENCES programs (id),
    borrower     text NOT NULL,
    lender       text NOT NULL,
    -- contract_key is the lender and the contract number normalised (interest.EvidenceOf):
    -- a loan contract is registered once, whatever spacing or case it is typed with.
    contract_key text NOT NULL UNIQUE,
    loan         jsonb NOT NULL,
    status       text NOT NULL,
    periods      jsonb NOT NULL DEFAULT '[]',
    escalated    boolean NOT NULL DEFAULT false,
    workflow_id  text NOT NULL,
    step         integer NOT NULL DEFAULT 0, -- the last workflow write applied
    created_by   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX loans_lender ON loans (lender, created_at DESC, id DESC);
CREATE INDEX loans_borrower ON loans (borrower, created_at DESC, id DESC);

GRANT SELECT, INSERT, UPDATE, DELETE ON loans TO subsidyflow_app;
