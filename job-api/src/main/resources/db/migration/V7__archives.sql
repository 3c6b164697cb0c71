-- Uploaded workdirs and files (PUT /archives/{digest}), stored in object storage; content-addressed, shared by
-- every job that names them, deleted a retention after the last job that used one ended.
create table archives (
    digest        varchar(71)  primary key,
    bytes         bigint       not null,
    object_uri    text         not null,
    uploaded_by   varchar(128) not null,
    uploaded_at   timestamptz  not null,
    last_used_at  timestamptz  not null
);
create index archives_last_used_at on archives (last_used_at);
