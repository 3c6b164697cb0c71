-- The stored output of a job is capped (jobapi.limits.log-max-bytes, every node and attempt together). log_bytes is
-- what job_log_chunks holds of the job, kept by the statement that stores a chunk, so the check reads one row instead
-- of summing the job's chunks; when a chunk would take it over the cap, that chunk and every later one of the job are
-- not stored, and log_capped_at says since when.
alter table jobs
    add column log_bytes     bigint not null default 0,
    add column log_capped_at timestamptz;

update jobs j set log_bytes = c.bytes
from (select job_id, sum(octet_length(text)) as bytes from job_log_chunks group by job_id) c
where c.job_id = j.id;
