-- The role the application runs as (store.Open does SET ROLE subsidyflow_app): it may change
-- the app tables but only read and append the audit log.

-- Roles are shared by every database of the server, so another database's migration may be
-- creating the same role right now: tolerate both "already exists" and the unique-index race.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'subsidyflow_app') THEN
        CREATE ROLE subsidyflow_app NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END;
$$;

-- A non-superuser owner must be a member to SET ROLE; a superuser needs no grant (and
-- granting would only contend on pg_auth_members with other databases' migrations).
DO $$
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
       AND NOT pg_has_role(current_user, 'subsidyflow_app', 'MEMBER') THEN
        EXECUTE format('GRANT subsidyflow_app TO %I', current_user);
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END;
$$;

GRANT USAGE ON SCHEMA public TO subsidyflow_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON
    enterprises, programs, ledger_entries, reservations, budget_queue, evidence, claims,
    api_tokens, idempotency_keys
    TO subsidyflow_app;
GRANT SELECT, UPDATE ON audit_head TO subsidyflow_app;
GRANT SELECT, INSERT ON audit_log TO subsidyflow_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO subsidyflow_app;
