-- Webhooks: a user's URL and the statuses it wants (empty = all). An admin's webhook hears every job.
create table webhooks (
    id          bigserial     primary key,
    owner       varchar(128)  not null,
    admin       boolean       not null default false,
    url         varchar(2048) not null,
    statuses    varchar(512)  not null default '',
    secret      varchar(128)  not null,
    created_at  timestamptz   not null,
    deleted_at  timestamptz
);

-- One row per (webhook, status event): enqueued in the transaction that applied the event, sent by a
-- table scan with exponential backoff. The row is the delivery log.
create table webhook_deliveries (
    id               bigserial    primary key,
    webhook_id       bigint       not null references webhooks (id),
    event_id         varchar(128) not null,
    job_id           varchar(64)  not null,
    payload          text         not null,
    state            varchar(16)  not null default 'PENDING',
    attempts         integer      not null default 0,
    next_attempt_at  timestamptz  not null,
    last_status_code integer,
    last_error       text,
    created_at       timestamptz  not null,
    delivered_at     timestamptz,
    unique (webhook_id, event_id)
);
create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at) where state = 'PENDING';
