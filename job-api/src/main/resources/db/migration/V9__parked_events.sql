-- Records a consumer of any service could not handle, as parked on the parked-events topic (see ParkedRecord):
-- listed to admins, replayable to their original topic once the cause is fixed.
create table parked_events (
    id               varchar(128) primary key,
    record_key       varchar(255),
    origin_topic     varchar(255) not null,
    origin_partition integer      not null,
    origin_offset    bigint       not null,
    event_type       varchar(128),
    reason           text         not null,
    cause            text,
    payload          text,
    headers          text         not null,
    parked_at        timestamptz  not null,
    replayed_at      timestamptz,
    replayed_by      varchar(255)
);
create index parked_events_waiting on parked_events (parked_at) where replayed_at is null;
