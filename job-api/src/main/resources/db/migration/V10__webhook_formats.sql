-- A webhook's format: 'crossjobs' (the signed CloudEvent), or 'slack' / 'discord' (a chat message rendered from the
-- event with the webhook's template; null = the format's default). Chat formats are not signed: their URL is the
-- secret, so they hold none.
alter table webhooks add column format varchar(16) not null default 'crossjobs';
alter table webhooks add column template text;
alter table webhooks alter column secret drop not null;
