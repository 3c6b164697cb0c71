-- Quotas per user (README "Quotas and limits"). A user_quotas row holds what an admin set for one owner; a null
-- column is the setting's default (jobapi.quotas.defaults.*).
create table user_quotas (
    owner               varchar(128) primary key,
    live_jobs           bigint,
    nodes_per_job       bigint,
    live_vcpus          double precision,
    live_accelerators   bigint,
    live_usd_per_hour   double precision,
    updated_at          timestamptz not null,
    updated_by          varchar(128) not null
);

-- What each job counts against its owner's quotas while it is live (QuotaDemand), written at submission: its nodes,
-- and the vCPUs, accelerators and dollars per hour of its cheapest feasible placement. Jobs stored before count as
-- one node and nothing else; once placed, a job's dollars per hour are price_per_hour times quota_nodes.
alter table jobs
    add column quota_nodes        integer          not null default 1,
    add column quota_vcpus        double precision not null default 0,
    add column quota_accelerators integer          not null default 0,
    add column quota_usd_per_hour double precision not null default 0;

-- A submission sums its owner's live jobs (QuotaStore): the live ones of one owner, however many ended before.
create index jobs_live_owner_idx on jobs (owner)
    where status in ('CANCELLING', 'PENDING', 'RECOVERING', 'RUNNING', 'STARTING');
