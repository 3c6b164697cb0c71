-- The outbox and inbox have the same shape in every service (service-support's Outbox, Inbox, OutboxRelay and
-- RetentionPurge read and write them): event ids as text, the inbox's time as processed_at, and the job id kept.
alter table outbox alter column event_id type varchar(64) using event_id::text;
alter table inbox rename column received_at to processed_at;
alter table inbox add column job_id varchar(64);
