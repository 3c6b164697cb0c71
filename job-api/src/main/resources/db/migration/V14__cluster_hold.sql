-- A failed job's cluster kept for debugging (resources.keep_on_failure), as the controller's status change said: until
-- when, the cluster and its instances; and when its owner released it early.
alter table jobs add column hold_until timestamp(6) with time zone;
alter table jobs add column hold_cluster varchar(128);
alter table jobs add column hold_instance_ids text;
alter table jobs add column hold_released_at timestamp(6) with time zone;
