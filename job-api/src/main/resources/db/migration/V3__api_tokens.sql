-- Bearer API tokens. Only the SHA-256 (hex) of a token is kept; the token itself is shown once at creation.
create table api_tokens (
    id          bigserial    primary key,
    user_name   varchar(128) not null,
    admin       boolean      not null default false,
    token_hash  char(64)     not null unique,
    created_at  timestamptz  not null,
    revoked_at  timestamptz
);
create index jobs_owner_id_idx on jobs (owner, id desc);

-- What the controller reports beyond the skeleton: restarts after errors, accrued cost, the pipeline task running.
alter table jobs add column restart_count integer not null default 0;
alter table jobs add column cost_so_far double precision;
alter table jobs add column task_index integer not null default 0;
