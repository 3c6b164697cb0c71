package io.crossjobs.controller.repository;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The one controller_instance row: the controller's identity and effective placement. */
@Entity
@Table(name = "controller_instance")
public class ControllerInstanceEntity {
    public static final String SINGLETON = "controller";

    @Id
    public String singleton;
    public String controllerId;
    public String cloud;
    public String region;
    public String cpus;
    public String memory;
    public Instant since;
    public Instant createdAt;
}
