package dev.aidetect.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.aidetect.schemas.kafka.TopicAdmin;

/**
 * The Kafka cluster tests talk to, one per JVM: the cluster named by {@code KAFKA_BOOTSTRAP_SERVERS} when set; else a
 * Testcontainers Kafka when {@code -Daidetect.kafka=testcontainers} is given and a Docker engine answers; else a real
 * broker started in this JVM ({@link LocalKafkaBroker}). Pipeline topics are created once, all with the same
 * partition count ({@code aidetect.topics.partitions}, default 3).
 */
public final class KafkaEndpoint {
    public static final String ENV_BOOTSTRAP = "KAFKA_BOOTSTRAP_SERVERS";

    private static String bootstrapServers;

    private KafkaEndpoint() {
    }

    /** Starts the shared cluster on first call; later calls return the same address. */
    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            bootstrapServers = resolve();
            createPipelineTopics(bootstrapServers, Integer.getInteger("aidetect.topics.partitions", 3));
        }
        return bootstrapServers;
    }

    private static String resolve() {
        String external = System.getenv(ENV_BOOTSTRAP);
        if (external != null && !external.isBlank()) {
            return external;
        }
        if ("testcontainers".equals(System.getProperty("aidetect.kafka")) && ContainerKafka.dockerAvailable()) {
            return ContainerKafka.start();
        }
        LocalKafkaBroker broker = LocalKafkaBroker.startTemporary();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "test-kafka-shutdown"));
        return broker.bootstrapServers();
    }

    /** Creates every pipeline topic that is missing, with {@code partitions} partitions and replication factor 1. */
    public static void createPipelineTopics(String bootstrapServers, int partitions) {
        TopicAdmin.ensure(bootstrapServers, partitions, (short) 1);
    }

    /**
     * Creates a topic of the test's own on the shared cluster and returns once every partition has a leader, so that
     * what the test produces next cannot be lost to a broker that has not applied the topic yet.
     */
    public static void createTopic(String name, int partitions) throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
            TopicAdmin.awaitLeaders(admin, Set.of(name), Duration.ofSeconds(30));
        }
    }

    /**
     * Sends {@code records} to the shared cluster and waits until each is acknowledged, so a send that fails fails the
     * test here rather than as a missing record later.
     */
    public static void produce(List<ProducerRecord<String, byte[]>> records)
            throws InterruptedException, ExecutionException {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
            records.forEach(record -> sent.add(producer.send(record)));
            for (Future<RecordMetadata> acknowledged : sent) {
                acknowledged.get();
            }
        }
    }

    /** Kept in its own class so Testcontainers is loaded only when asked for. */
    private static final class ContainerKafka {
        static boolean dockerAvailable() {
            try {
                return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
            } catch (Throwable e) {
                return false;
            }
        }

        static String start() {
            var kafka = new org.testcontainers.kafka.KafkaContainer("apache/kafka:4.1.1");
            kafka.start();
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "test-kafka-container-shutdown"));
            return kafka.getBootstrapServers();
        }
    }
}
