package io.crossjobs.controller.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.List;

/** The controller_instance row and the controller_history rows. */
@ApplicationScoped
public class ControllerRepository {

    public Uni<ControllerInstanceEntity> findForUpdate() {
        return Panache.getSession().chain(s -> s.find(ControllerInstanceEntity.class, ControllerInstanceEntity.SINGLETON,
                LockModeType.PESSIMISTIC_WRITE));
    }

    public Uni<ControllerInstanceEntity> find() {
        return Panache.getSession().chain(s -> s.find(ControllerInstanceEntity.class, ControllerInstanceEntity.SINGLETON));
    }

    public Uni<Void> persist(ControllerInstanceEntity e) {
        return Panache.getSession().chain(s -> s.persist(e));
    }

    public Uni<Void> record(String kind, String message, String cloud, String region, String fromCloud,
                            String fromRegion, Instant at) {
        ControllerHistoryEntity e = new ControllerHistoryEntity();
        e.kind = kind;
        e.message = message;
        e.cloud = cloud;
        e.region = region;
        e.fromCloud = fromCloud;
        e.fromRegion = fromRegion;
        e.at = at;
        return Panache.getSession().chain(s -> s.persist(e));
    }

    public Uni<List<ControllerHistoryEntity>> history(String kind) {
        return Panache.getSession().chain(s -> s.createSelectionQuery(
                        "from ControllerHistoryEntity where kind = :kind order by id", ControllerHistoryEntity.class)
                .setParameter("kind", kind).getResultList());
    }

    public Uni<ControllerHistoryEntity> latest(String kind) {
        return Panache.getSession().chain(s -> s.createSelectionQuery(
                        "from ControllerHistoryEntity where kind = :kind order by id desc", ControllerHistoryEntity.class)
                .setParameter("kind", kind).setMaxResults(1).getResultList())
                .map(rows -> rows.isEmpty() ? null : rows.get(0));
    }
}
