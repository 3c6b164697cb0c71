-- The outbox also carries the keeper's commands to the provisioners: a row names its topic (null: job-requests).
alter table outbox add column topic varchar(128);

-- The jobs controller as its keeper knows it: one identity, the placement its VMs are launched in, and a
-- migration in progress (target_*).
create table controller (
    singleton       smallint     primary key default 1 check (singleton = 1),
    controller_id   varchar(64)  not null,
    cloud           varchar(16)  not null,
    region          varchar(64)  not null,
    cpus            varchar(16)  not null,
    memory          varchar(16),
    created_at      timestamptz  not null,
    since           timestamptz  not null,
    target_cloud    varchar(16),
    target_region   varchar(64),
    target_since    timestamptz,
    idle_stopped_at timestamptz,
    next_generation integer      not null default 1
);

-- Every VM the controller has had, one row per launch (generation), with what the cloud and the controller
-- process reported of it; its lifetime is what the cost report bills.
create table controller_vms (
    cluster_name         varchar(63)      primary key,
    generation           integer          not null unique,
    cloud                varchar(16)      not null,
    region               varchar(64)      not null,
    zone                 varchar(64),
    instance_type        varchar(64)      not null,
    price_per_hour       double precision not null,
    instance_id          varchar(128),
    state                varchar(16)      not null,
    reason               text,
    launched_at          timestamptz      not null,
    running_at           timestamptz,
    serving_at           timestamptz,
    last_heartbeat_at    timestamptz,
    process              varchar(255),
    assigned_partitions  integer          not null default 0,
    stopping_at          timestamptz,
    ended_at             timestamptz,
    bootstrap_token_hash char(64),
    bootstrap_expires_at timestamptz,
    bootstrap_used_at    timestamptz
);
create index controller_vms_live_idx on controller_vms (generation) where state in ('LAUNCHING', 'BOOTING', 'SERVING', 'STOPPING');

-- What the keeper did and saw, in order: launches, readiness, losses, migrations, placement reports.
create table controller_history (
    id           bigserial    primary key,
    at           timestamptz  not null,
    kind         varchar(32)  not null,
    message      text         not null,
    cluster_name varchar(63),
    cloud        varchar(16),
    region       varchar(64),
    from_cloud   varchar(16),
    from_region  varchar(64)
);
