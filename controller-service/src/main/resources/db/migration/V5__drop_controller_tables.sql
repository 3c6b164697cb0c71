-- The controller's identity, placement and their history belong to its keeper in job-api, which launches the
-- controller's VM and records them in its own database.
drop table if exists controller_history;
drop table if exists controller_instance;
