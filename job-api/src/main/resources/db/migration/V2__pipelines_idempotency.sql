-- A job is a pipeline of one or more tasks (all of them as JSON, secrets sealed); task_json stays the first.
alter table jobs add column tasks_json text;
alter table jobs add column task_count integer not null default 1;
-- Idempotency-Key of the submission that created the job: a retry with the same key (same owner) gets it back.
alter table jobs add column idempotency_key varchar(255);
create unique index jobs_owner_idempotency_key_idx on jobs (owner, idempotency_key) where idempotency_key is not null;
