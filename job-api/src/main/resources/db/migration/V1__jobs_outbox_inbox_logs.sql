-- job-api owns this schema; no other service reads it.

-- Job ids are issued here and travel as strings ("42") on every topic.
create sequence job_id_seq;

create table jobs (
    id                  bigint       primary key,
    name                varchar(63)  not null,
    owner               varchar(128) not null,
    status              varchar(32)  not null,
    -- the TaskSpec as accepted (JSON), so later features (YAML export, re-submit) need no schema change
    task_json           text         not null,
    submitted_at        timestamptz  not null,
    status_changed_at   timestamptz  not null,
    started_at          timestamptz,
    ended_at            timestamptz,
    cloud               varchar(16),
    region              varchar(64),
    zone                varchar(64),
    instance_type       varchar(64),
    spot                boolean,
    price_per_hour      double precision,
    attempt             integer      not null default 0,
    recovery_count      integer      not null default 0,
    failure_reason      varchar(64),
    exit_code           integer,
    cancel_requested_at timestamptz
);
-- GET /jobs?status=... newest first
create index jobs_status_id_idx on jobs (status, id desc);

-- The status history as the controller reported it (one row per JobStatusChanged).
create table job_events (
    id             bigserial    primary key,
    job_id         bigint       not null references jobs (id),
    event_id       varchar(128) not null,
    from_status    varchar(32),
    to_status      varchar(32)  not null,
    reason         text,
    failure_reason varchar(64),
    exit_code      integer,
    attempt        integer      not null,
    at             timestamptz  not null
);
create index job_events_job_idx on job_events (job_id, id);

-- Transactional outbox: written with the jobs row, published to job-requests by the relay in id order.
create table outbox (
    id           bigserial    primary key,
    event_id     uuid         not null unique,
    event_type   varchar(128) not null,
    job_id       varchar(64)  not null,
    payload      text         not null,
    created_at   timestamptz  not null,
    published_at timestamptz
);
create index outbox_unpublished_idx on outbox (id) where published_at is null;

-- CloudEvents ids already applied, written in the same transaction as their effect (duplicate = no-op).
create table inbox (
    event_id    varchar(128) primary key,
    event_type  varchar(128) not null,
    received_at timestamptz  not null
);

-- Console output, one row per shipped chunk. A re-shipped chunk with the same key is ignored (or, when
-- longer, replaces the stored one); overlaps between different offsets are resolved when the text is assembled.
create table job_log_chunks (
    job_id      bigint      not null references jobs (id),
    attempt     integer     not null,
    node_rank   integer     not null,
    byte_offset bigint      not null,
    text        text        not null,
    received_at timestamptz not null,
    primary key (job_id, attempt, node_rank, byte_offset)
);
