-- Job arrays (POST /jobs?num_jobs=N): N jobs of one task, submitted together. array_id is the id of the array's
-- rank-0 job; a job submitted alone has none of the three.
alter table jobs
    add column array_id   bigint,
    add column array_rank integer,
    add column array_size integer;
create index jobs_array_idx on jobs (array_id, id) where array_id is not null;
