package io.crossjobs.controller.heartbeat;

import io.crossjobs.events.Topics;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The partitions of job-requests and provision-events this process holds right now, kept from the rebalance
 * callbacks of every consumer of both channels (set on them with {@code consumer-rebalance-listener.name}). A
 * controller that holds none takes no work, however alive it is: that is what its heartbeat tells the keeper.
 * The callbacks run on the consumers' polling threads, hence the concurrent set.
 */
@ApplicationScoped
@Identifier(PartitionAssignments.NAME)
public class PartitionAssignments implements KafkaConsumerRebalanceListener {
    public static final String NAME = "controller-rebalance";
    private static final Set<String> TOPICS = Set.of(Topics.JOB_REQUESTS, Topics.PROVISION_EVENTS);

    private final Set<TopicPartition> held = ConcurrentHashMap.newKeySet();

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.stream().filter(PartitionAssignments::counted).forEach(held::add);
        Log.debugf("partitions assigned: %s; this controller holds %d", partitions, held.size());
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(held::remove);
        Log.debugf("partitions revoked: %s; this controller holds %d", partitions, held.size());
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(held::remove);
        Log.debugf("partitions lost: %s; this controller holds %d", partitions, held.size());
    }

    /** How many partitions of job-requests and provision-events are assigned to this process. */
    public int count() {
        return held.size();
    }

    private static boolean counted(TopicPartition partition) {
        return TOPICS.contains(partition.topic());
    }
}
