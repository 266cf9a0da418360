package dev.aidetect.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import dev.aidetect.schemas.kafka.AvroSerde;

/**
 * Every pipeline topic, typed. All keys are the image id, and all pipeline topics have the same partition count, so
 * every record of one image lands in the same partition number of every topic.
 */
public final class Topics {
    /** Attribution families the pipeline knows; each has its own request topic. */
    public static final List<String> FAMILIES = List.of("gan", "diffusion");

    public static final Topic<String, ImageSubmitted> INGEST = topic("images.ingest", ImageSubmitted.class);
    public static final Topic<String, ImageEmbedding> EMBEDDED = topic("images.embedded", ImageEmbedding.class);
    public static final Topic<String, ImageRejected> REJECTED = topic("images.rejected", ImageRejected.class);
    public static final Topic<String, StageVerdict> DETECTION_VERDICTS = topic("verdicts.detection",
            StageVerdict.class);
    public static final Topic<String, StageRequest> FAMILY_REQUESTS = topic("stage.family.requests",
            StageRequest.class);
    public static final Topic<String, StageVerdict> FAMILY_VERDICTS = topic("verdicts.family", StageVerdict.class);
    public static final Topic<String, StageRequest> GAN_ATTRIBUTION_REQUESTS = topic(
            "stage.attribution.gan.requests", StageRequest.class);
    public static final Topic<String, StageRequest> DIFFUSION_ATTRIBUTION_REQUESTS = topic(
            "stage.attribution.diffusion.requests", StageRequest.class);
    public static final Topic<String, StageVerdict> ATTRIBUTION_VERDICTS = topic("verdicts.attribution",
            StageVerdict.class);
    public static final Topic<String, FinalVerdict> FINAL = topic("verdicts.final", FinalVerdict.class);

    private static final Map<String, Topic<String, StageRequest>> ATTRIBUTION_REQUESTS = Map.of(
            "gan", GAN_ATTRIBUTION_REQUESTS, "diffusion", DIFFUSION_ATTRIBUTION_REQUESTS);

    /**
     * Largest record {@code images.ingest} takes, set on the topic when it is created: inline images up to the
     * embedder's default byte limit (20 MiB) fit with room to spare (embedder-service's LimitsAgreeTest checks).
     * Kafka's default (1 MiB) would refuse most phone photos at the producer. The other topics carry vectors and
     * verdicts and keep the default.
     */
    public static final int INGEST_MAX_MESSAGE_BYTES = 32 << 20;

    /** Kafka's rule for topic names. */
    private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    /** How long {@link #create} waits for created topics to be writable, and how often it looks. */
    private static final Duration LEADER_WAIT = Duration.ofSeconds(30);
    private static final Duration LEADER_POLL = Duration.ofMillis(50);

    private Topics() {
    }

    /** The attribution request topic of a family. */
    public static Topic<String, StageRequest> attributionRequests(String family) {
        Topic<String, StageRequest> topic = ATTRIBUTION_REQUESTS.get(family);
        if (topic == null) {
            throw new IllegalArgumentException(
                    "no attribution stage for family '" + family + "'; known families: " + FAMILIES);
        }
        return topic;
    }

    /**
     * Where the embedder publishes one encoder's vectors when several run side by side and are published separately
     * ({@code images.embedded.<encoder id>}); the first encoder's go to {@link #EMBEDDED}.
     *
     * @throws IllegalArgumentException when the id cannot be part of a topic name
     */
    public static Topic<String, ImageEmbedding> embeddedBy(String encoderId) {
        String name = EMBEDDED.name() + "." + encoderId;
        if (!LEGAL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("encoder id '" + encoderId + "' cannot name a topic (" + name
                    + "): use letters, digits, '.', '_' and '-' only, at most " + (249 - EMBEDDED.name().length() - 1)
                    + " characters, in the encoder's manifest");
        }
        return topic(name, ImageEmbedding.class);
    }

    /** Every pipeline topic, in the order records flow through them. */
    public static List<Topic<String, ?>> all() {
        return List.of(INGEST, EMBEDDED, REJECTED, DETECTION_VERDICTS, FAMILY_REQUESTS, FAMILY_VERDICTS,
                GAN_ATTRIBUTION_REQUESTS, DIFFUSION_ATTRIBUTION_REQUESTS, ATTRIBUTION_VERDICTS, FINAL);
    }

    /**
     * Creates every pipeline topic that does not exist yet, all with the same partition count, and returns once they
     * are writable. {@code images.ingest} takes records up to {@link #INGEST_MAX_MESSAGE_BYTES}; an existing ingest
     * topic without a limit of its own is given it. Existing topics are otherwise left as they are; one with another
     * partition count is reported, since it would split an image's records across partition numbers.
     *
     * @throws IllegalStateException when an existing topic has a different partition count
     */
    public static void createAll(Admin admin, int partitions, short replicationFactor)
            throws InterruptedException, ExecutionException {
        create(admin, all(), partitions, replicationFactor);
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
            wanted.add(new NewTopic(topic.name(), partitions, replicationFactor).configs(configsOf(topic)));
        }
        Map<String, Throwable> failures = new HashMap<>();
        admin.createTopics(wanted).values().forEach((name, future) -> {
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
            throw new ExecutionException("could not create topics " + failures.keySet() + ": " + failures,
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
            if (!configsOf(topic).isEmpty()) {
                wanted.put(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()), configsOf(topic));
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

    /** The topic settings a pipeline topic is created with, beyond the cluster's defaults. */
    static Map<String, String> configsOf(Topic<String, ?> topic) {
        return topic.name().equals(INGEST.name())
                ? Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(INGEST_MAX_MESSAGE_BYTES))
                : Map.of();
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
        ensure(bootstrapServers, all(), partitions, replicationFactor);
    }

    /**
     * Connects to the cluster and {@linkplain #create creates} those of {@code topics} that are missing.
     *
     * @throws IllegalStateException naming the cluster and what to check when it cannot be done
     */
    public static void ensure(String bootstrapServers, List<Topic<String, ?>> topics, int partitions,
            short replicationFactor) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            create(admin, topics, partitions, replicationFactor);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the pipeline topics on " + bootstrapServers, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the pipeline topics on " + bootstrapServers + ": "
                    + e.getMessage() + " (is the broker running? set KAFKA_BOOTSTRAP_SERVERS to its address)", e);
        }
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> Topic<String, V> topic(String name,
            Class<V> type) {
        Serde<String> keys = Serdes.String();
        return new Topic<>(name, keys, new AvroSerde<>(type));
    }
}
