-- A job's terminal status waits for its output: the exit of an attempt held until job-api confirms the attempt's
-- output stored (or release_by passes), and an output confirmed before its exit arrived. One row per job and attempt,
-- deleted when the wait ends or the job does.
create table output_hold (
    job_id     varchar(64) not null references managed_job (id),
    attempt    integer     not null,
    exit_phase varchar(16),
    exit_code  integer,
    exited_at  timestamp(6) with time zone,
    release_by timestamp(6) with time zone,
    stored_at  timestamp(6) with time zone,
    primary key (job_id, attempt)
);
create index output_hold_release on output_hold (release_by) where release_by is not null;
