-- Two roles (run as the postgres superuser: sudo -u postgres psql -f postgres-roles.sql).
-- pingxiang_owner owns the schema and runs migrations; pingxiang_app is what the
-- app connects as at run time: it reads and writes rows but cannot change the
-- schema, drop or disable the audit log's append-only trigger, or TRUNCATE.
CREATE ROLE pingxiang_owner LOGIN PASSWORD 'CHANGE-ME';
CREATE ROLE pingxiang_app LOGIN PASSWORD 'CHANGE-ME';
CREATE DATABASE pingxiang_cf OWNER pingxiang_owner ENCODING 'UTF8' TEMPLATE template0;
\connect pingxiang_cf
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO pingxiang_owner;
GRANT USAGE ON SCHEMA public TO pingxiang_app;
-- Tables created by later migrations get the same grants.
ALTER DEFAULT PRIVILEGES FOR ROLE pingxiang_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO pingxiang_app;
ALTER DEFAULT PRIVILEGES FOR ROLE pingxiang_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO pingxiang_app;
-- After the first migration, for tables that already exist:
-- GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO pingxiang_app;
-- GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO pingxiang_app;
-- The audit log: insert and read only (the trigger refuses UPDATE/DELETE anyway).
-- REVOKE UPDATE, DELETE, TRUNCATE ON pingxiang_cf_auditlog FROM pingxiang_app;
-- GRANT UPDATE (actor_id) ON pingxiang_cf_auditlog TO pingxiang_app;  -- account deletion
