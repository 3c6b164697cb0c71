-- Pipelines: every task of the job in order and the one running now; priority orders the launch queue.
alter table managed_job add column tasks      text;                           -- JSON list of TaskSpec; null = [task_spec]
alter table managed_job add column task_index integer not null default 0;
alter table managed_job add column priority   integer not null default 500;
