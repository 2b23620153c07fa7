-- The application logs in as its own role instead of as the schema owner: a login role that
-- is neither superuser nor owner and holds only subsidyflow_app's grants. Before this, the app
-- connected as the owner and merely SET ROLE subsidyflow_app, which RESET ROLE undoes, so
-- anyone with the app's credentials could rewrite the audit log.
--
-- INHERIT (the default) gives the login role subsidyflow_app's privileges without SET ROLE,
-- and RESET ROLE leads back to the login role itself, which has nothing more. Its password,
-- when the deployment uses one, is set by `subsidyflow migrate` from APP_DATABASE_URL.
--
-- Roles are shared by every database of the server and other databases may be migrating at
-- this moment: as in 0003, "already exists" and the unique-index race both mean done. The
-- membership is given by CREATE ROLE ... IN ROLE so that only the creator writes it.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'subsidyflow_app_login') THEN
        CREATE ROLE subsidyflow_app_login LOGIN INHERIT
            NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
            IN ROLE subsidyflow_app;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END;
$$;
