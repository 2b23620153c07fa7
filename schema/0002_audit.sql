-- The append-only, hash-chained audit log (see package audit for the hash rule).

CREATE TABLE audit_log (
    seq         bigint PRIMARY KEY, -- assigned from audit_head, so gapless
    at          timestamptz NOT NULL,
    actor       text NOT NULL,
    role        text NOT NULL,
    action      text NOT NULL,
    claim_id    text,
    program_id  text,
    amount      numeric(20,2),
    details     jsonb NOT NULL DEFAULT '{}',
    workflow_id text NOT NULL DEFAULT '',
    run_id      text NOT NULL DEFAULT '',
    prev_hash   text NOT NULL,
    hash        text NOT NULL
);
CREATE INDEX audit_log_claim ON audit_log (claim_id, seq) WHERE claim_id IS NOT NULL;

-- One row holding the end of the chain. Appenders lock it FOR UPDATE, which serialises
-- appends and lets a verifier notice rows cut off the end of the log.
CREATE TABLE audit_head (
    id        boolean PRIMARY KEY DEFAULT true CHECK (id),
    last_seq  bigint NOT NULL,
    last_hash text NOT NULL
);
INSERT INTO audit_head (id, last_seq, last_hash)
VALUES (true, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
