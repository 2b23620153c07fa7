-- An enterprise an applicant registered itself, or whose bank account a non-administrator
-- changed, carries figures and an account nobody has checked: it is marked unverified, with
-- who declared what and when, until an administrator verifies it (POST
-- /v1/enterprises/{credit_code}/verify). Finance sees the mark before approving.
ALTER TABLE enterprises
    ADD COLUMN verified    boolean NOT NULL DEFAULT false,
    ADD COLUMN verified_by text NOT NULL DEFAULT '',
    ADD COLUMN verified_at timestamptz,
    ADD COLUMN declared_by text NOT NULL DEFAULT '',
    ADD COLUMN declared_at timestamptz,
    ADD COLUMN declared    text[] NOT NULL DEFAULT '{}';

-- Enterprises registered before this migration: nothing was ever verified, so whatever a
-- non-administrator declared (the audit log says who and what) is still unverified; one an
-- administrator registered, with no such declaration since, counts as verified by that
-- administrator. An enterprise the log says nothing about stays unverified.
UPDATE enterprises e
SET declared_by = d.actor, declared_at = d.at, declared = d.what
FROM (
    SELECT details->>'credit_code' AS code,
           (array_agg(actor ORDER BY seq DESC))[1] AS actor,
           max(at) AS at,
           array_agg(DISTINCT w ORDER BY w) AS what
    FROM audit_log,
         unnest(CASE action WHEN 'enterprise.registered' THEN ARRAY['figures', 'bank_account']
                            ELSE ARRAY['bank_account'] END) AS w
    WHERE action IN ('enterprise.registered', 'enterprise.bank_account_updated') AND role <> 'admin'
    GROUP BY 1
) d
WHERE e.credit_code = d.code;

UPDATE enterprises e
SET verified = true, verified_by = r.actor, verified_at = r.at
FROM (
    SELECT details->>'credit_code' AS code, actor, at
    FROM audit_log
    WHERE action = 'enterprise.registered' AND role = 'admin'
) r
WHERE e.credit_code = r.code AND e.declared_by = '';

-- Signing out of the web console ends the session on the server: the cookie carries a
-- session id of its own (its hash is stored here, bound to the API token it was opened
-- with), so revoking it leaves the user's API token working and a replayed cookie dead.
CREATE TABLE web_sessions (
    session_hash text PRIMARY KEY, -- hex sha256 of the cookie's value; the value is never stored
    token_hash   text NOT NULL REFERENCES api_tokens (token_hash),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz
);
CREATE INDEX web_sessions_expires ON web_sessions (expires_at);

GRANT SELECT, INSERT, UPDATE, DELETE ON web_sessions TO subsidyflow_app;
