-- What a placement launches besides its instance type: the accelerators on each node (e.g. T4:2, attached by
-- the cloud where the type does not carry them) and each node's root disk in GB (null: the image's own size).
alter table managed_job add column accelerator varchar(64);
alter table managed_job add column disk_size_gb integer;
