-- crossjobs check: one row per cloud asked; the provisioner's answer (AccountChecked) fills it in.
create table account_checks (
    check_id      varchar(64)  not null,
    cloud         varchar(16)  not null,
    requested_at  timestamptz  not null,
    requested_by  varchar(128) not null,
    checked_at    timestamptz,
    ready         boolean,
    findings      text,
    primary key (check_id, cloud)
);
create index account_checks_requested_at on account_checks (requested_at);
