-- Each status change's pipeline task and placement, as the controller reported them, so that a pipeline's tasks can
-- be told apart in its history (GET /jobs/{id}/tasks): which task a change concerns, which attempts ran it, and
-- where. Null on rows recorded before these columns; placement columns are null when the change carried none.
alter table job_events add column task_index     integer;
alter table job_events add column cloud          varchar(16);
alter table job_events add column region         varchar(64);
alter table job_events add column zone           varchar(64);
alter table job_events add column instance_type  varchar(64);
alter table job_events add column spot           boolean;
alter table job_events add column price_per_hour double precision;
