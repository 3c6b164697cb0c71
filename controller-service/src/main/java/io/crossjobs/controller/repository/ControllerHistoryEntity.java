package io.crossjobs.controller.repository;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One thing that happened to the controller: ControllerCreated, ControllerPlacementReported, ControllerMigrated. */
@Entity
@Table(name = "controller_history")
public class ControllerHistoryEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String kind;
    public String message;
    public String cloud;
    public String region;
    public String fromCloud;
    public String fromRegion;
    public Instant at;
}
