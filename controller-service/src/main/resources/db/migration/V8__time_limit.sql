-- A task's max_duration: the time its earlier attempts ran (task_ran_ms, counted while RUNNING, reset with each task)
-- and, while it runs, when what is left of its limit runs out (run_deadline), for the launch scheduler's scan of
-- runs that their node did not stop.
alter table managed_job add column task_ran_ms bigint not null default 0;
alter table managed_job add column run_deadline timestamp(6) with time zone;
create index managed_job_run_deadline on managed_job (run_deadline) where run_deadline is not null;
