package dev.aidetect.kafka;

import dev.aidetect.schemas.Topics;

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
        Topics.ensure(bootstrapServers, partitions, (short) 1);
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
