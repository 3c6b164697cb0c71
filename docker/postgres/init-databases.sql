-- Run once by the postgres image on an empty data volume: one database per service that owns a schema
-- (the same names the local stack creates, see stack/.../StackConfig.java). Flyway creates the tables.
CREATE DATABASE crossjobs_api;
CREATE DATABASE crossjobs_controller;
