-- The stored output of a job is capped (jobapi.limits.log-max-bytes, every node and attempt together): when a chunk
-- would take it over, that chunk and every later one of the job are not stored, and log_capped_at says since when.
alter table jobs add column log_capped_at timestamptz;
