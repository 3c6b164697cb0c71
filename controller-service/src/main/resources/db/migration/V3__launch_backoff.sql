-- Launch retries wait PENDING until next_attempt_at (backoff); launch_started_at bounds one launch episode in time.
alter table managed_job add column next_attempt_at   timestamp(6) with time zone;
alter table managed_job add column launch_started_at timestamp(6) with time zone;
-- the launch scheduler's scan: waiting jobs, highest priority first, then first come first served
create index managed_job_waiting on managed_job (priority desc, submitted_at, id) where status = 'PENDING';
