-- A failed job's cluster kept for debugging (resources.keep_on_failure): until when (null: none, or released), and the
-- instances of the job's current cluster as its provisioner reported them when it came up.
alter table managed_job add column hold_until timestamp(6) with time zone;
alter table managed_job add column instance_ids text;
create index managed_job_hold_until on managed_job (hold_until) where hold_until is not null;
