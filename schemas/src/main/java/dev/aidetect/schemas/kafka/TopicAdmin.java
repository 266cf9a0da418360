package dev.aidetect.schemas.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import dev.aidetect.schemas.Topic;
import dev.aidetect.schemas.Topics;

/**
 * Creates the pipeline topics of {@link Topics} on a cluster: all with one partition count, the ingest topic with its
 * record size, {@code verdicts.final} compacted, and only once their partitions have leaders (so the first records are
 * not lost).
 */
public final class TopicAdmin {
    /** How long {@link #create} waits for created topics to be writable, and how often it looks. */
    private static final Duration LEADER_WAIT = Duration.ofSeconds(30);
    private static final Duration LEADER_POLL = Duration.ofMillis(50);

    private TopicAdmin() {
    }

    /**
     * Creates every pipeline topic that does not exist yet, all with the same partition count, and returns once they
     * are writable. {@code images.ingest} takes records up to {@link Topics#INGEST_MAX_MESSAGE_BYTES}; an existing ingest
     * topic without a limit of its own is given it. Existing topics are otherwise left as they are; one with another
     * partition count is reported, since it would split an image's records across partition numbers.
     *
     * @throws IllegalStateException when an existing topic has a different partition count
     */
    public static void createAll(Admin admin, int partitions, short replicationFactor)
            throws InterruptedException, ExecutionException {
        create(admin, Topics.allWithDeadLetters(), partitions, replicationFactor);
    }

    /**
     * Creates those of {@code topics} that do not exist yet, as {@link #createAll} does for the pipeline topics.
     *
     * @throws IllegalStateException when an existing topic has a different partition count
     */
    public static void create(Admin admin, List<Topic<String, ?>> topics, int partitions, short replicationFactor)
            throws InterruptedException, ExecutionException {
        List<NewTopic> wanted = new ArrayList<>();
        for (Topic<String, ?> topic : topics) {
            wanted.add(new NewTopic(topic.name(), partitions, replicationFactor).configs(Topics.configsOf(topic)));
        }
        // Only the missing ones: on a cluster with ACLs, asking to create a topic that exists fails with an
        // authorization error for a principal that may describe it but not create it (a service on topics an
        // operator made).
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> missing = wanted.stream().filter(topic -> !existing.contains(topic.name())).toList();
        Map<String, Throwable> failures = new HashMap<>();
        admin.createTopics(missing).values().forEach((name, future) -> {
            try {
                future.get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    failures.put(name, e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.put(name, e);
            }
        });
        if (!failures.isEmpty()) {
            boolean refused = failures.values().stream().anyMatch(TopicAuthorizationException.class::isInstance);
            throw new ExecutionException("could not create topics " + failures.keySet() + ": " + failures
                    + (refused
                            ? " (this principal may not create them: create them first as the cluster's admin (./aidetect up"
                                    + " --kafka-config-dir does), or grant it CREATE on them)"
                            : ""),
                    failures.values().iterator().next());
        }
        Set<String> names = Set.copyOf(wanted.stream().map(NewTopic::name).toList());
        awaitLeaders(admin, names, LEADER_WAIT).forEach((name, description) -> {
            if (description.partitions().size() != partitions) {
                throw new IllegalStateException("topic " + name + " has " + description.partitions().size()
                        + " partitions but the pipeline is configured for " + partitions
                        + "; every pipeline topic needs the same count (recreate it or set the partition count to match)");
            }
        });
        settle(admin, topics);
    }

    /**
     * Gives topics that existed before (made by an older version, or by hand) the settings the pipeline creates them
     * with, where the topic has no setting of its own: a value an operator set on the topic is left alone.
     */
    private static void settle(Admin admin, List<Topic<String, ?>> topics)
            throws InterruptedException, ExecutionException {
        Map<ConfigResource, Map<String, String>> wanted = new HashMap<>();
        for (Topic<String, ?> topic : topics) {
            if (!Topics.configsOf(topic).isEmpty()) {
                wanted.put(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()), Topics.configsOf(topic));
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        Map<ConfigResource, Config> current = admin.describeConfigs(wanted.keySet()).all().get();
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
        wanted.forEach((resource, settings) -> settings.forEach((key, value) -> {
            ConfigEntry entry = current.get(resource).get(key);
            if (entry == null || entry.source() != ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                changes.computeIfAbsent(resource, r -> new ArrayList<>())
                        .add(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET));
            }
        }));
        if (!changes.isEmpty()) {
            admin.incrementalAlterConfigs(changes).all().get();
        }
    }

    /**
     * Waits until every partition of {@code names} has a leader in the metadata the cluster serves, and returns the
     * topics' descriptions. A created topic is not yet writable when {@code createTopics} answers: the brokers apply
     * it from the metadata log a moment later, and an idempotent producer whose first batch to a partition arrives
     * before that can lose the batch (KAFKA-15591, fixed in brokers after 4.1). Producing only to led partitions
     * avoids it.
     *
     * @throws ExecutionException when the cluster cannot be asked
     * @throws IllegalStateException when a partition still has no leader after {@code timeout}
     */
    public static Map<String, TopicDescription> awaitLeaders(Admin admin, Set<String> names, Duration timeout)
            throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String waitingFor;
        do {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
                List<String> leaderless = described.values().stream()
                        .flatMap(topic -> topic.partitions().stream()
                                .filter(partition -> partition.leader() == null || partition.leader().isEmpty())
                                .map(partition -> topic.name() + "-" + partition.partition()))
                        .toList();
                if (leaderless.isEmpty()) {
                    return described;
                }
                waitingFor = "partitions " + leaderless + " have no leader";
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                waitingFor = "the brokers do not know the topics yet (" + e.getCause().getMessage() + ")";
            }
            Thread.sleep(LEADER_POLL.toMillis());
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException("created topics " + names + " but after " + timeout.toSeconds() + " s "
                + waitingFor + "; check the brokers' logs (is a broker down or the controller quorum unavailable?)");
    }

    /**
     * Connects to the cluster and {@linkplain #createAll creates} the missing pipeline topics.
     *
     * @throws IllegalStateException naming the cluster and what to check when it cannot be done
     */
    public static void ensure(String bootstrapServers, int partitions, short replicationFactor) {
        ensure(KafkaClientSettings.plaintext(bootstrapServers).admin(Map.of()), Topics.allWithDeadLetters(), partitions,
                replicationFactor);
    }

    /**
     * Connects to the cluster and {@linkplain #create creates} those of {@code topics} that are missing.
     *
     * @throws IllegalStateException naming the cluster and what to check when it cannot be done
     */
    public static void ensure(String bootstrapServers, List<Topic<String, ?>> topics, int partitions,
            short replicationFactor) {
        ensure(KafkaClientSettings.plaintext(bootstrapServers).admin(Map.of()), topics, partitions, replicationFactor);
    }

    /**
     * Connects to the cluster with an admin client of {@code adminConfig} (its address and security settings: a
     * service passes what its Kafka channels get, through {@link KafkaClientSettings#adminView}) and
     * {@linkplain #create creates} those of {@code topics} that are missing.
     *
     * @throws IllegalStateException naming the cluster and what to check when it cannot be done
     */
    public static void ensure(Map<String, Object> adminConfig, List<Topic<String, ?>> topics, int partitions,
            short replicationFactor) {
        Object bootstrapServers = adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        try (Admin admin = Admin.create(adminConfig)) {
            create(admin, topics, partitions, replicationFactor);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the pipeline topics on " + bootstrapServers, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the pipeline topics on " + bootstrapServers + ": "
                    + e.getMessage() + " (is the broker running? set KAFKA_BOOTSTRAP_SERVERS to its address, and "
                    + KafkaClientSettings.FILE_ENV + " to its client settings if it needs any)", e);
        }
    }
}
