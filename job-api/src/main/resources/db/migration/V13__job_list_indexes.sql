-- GET /jobs filters by name and by cloud, newest first: each is an index scan that stops after a page, not a walk
-- of every job (status and owner have theirs since V1 and V3).
create index jobs_name_id_idx on jobs (name, id desc);
create index jobs_cloud_id_idx on jobs (cloud, id desc);
