package dev.aidetect.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.KafkaClientSettings;
import dev.aidetect.schemas.kafka.TopicAdmin;

/**
 * The secured local broker refuses whom it should: a wrong password, a client that does not trust its certificate, a
 * principal with no ACL, a service outside its grants; and lets each service do what {@link PipelineAcls} grants it.
 */
class SecuredKafkaBrokerTest {
    private static final String OUTSIDER = "outsider";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static SecuredKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = SecuredKafkaBroker.startTemporary(OUTSIDER);
        TopicAdmin.ensure(broker.adminSettings().admin(Map.of()), Topics.all(), 1, (short) 1);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void refusesAServiceThatGivesAWrongPassword() {
        Map<String, String> wrong = broker.clientSettings(PipelineAcls.EMBEDDER, "not-the-password");

        assertThatThrownBy(() -> describeCluster(wrong)).hasRootCauseInstanceOf(SaslAuthenticationException.class)
                .rootCause().hasMessageContaining("invalid credentials with SASL mechanism SCRAM-SHA-512");
    }

    @Test
    void refusesAClientThatDoesNotTrustTheBrokersCertificate() {
        Map<String, String> untrusting = new HashMap<>(broker.clientSettings(PipelineAcls.EMBEDDER));
        untrusting.keySet().removeIf(key -> key.startsWith("ssl.truststore."));

        assertThatThrownBy(() -> describeCluster(untrusting))
                .satisfies(e -> assertThat(causes(e)).anyMatch(SslAuthenticationException.class::isInstance));
    }

    @Test
    void aPrincipalWithoutAnAclCannotReadTheIngestTopic() {
        assertThatThrownBy(() -> pollIngestWithoutGroup(OUTSIDER)).isInstanceOf(TopicAuthorizationException.class)
                .hasMessageContaining(Topics.INGEST.name());
    }

    @Test
    void theRouterWritesSubmissionsButCannotReadThem() throws Exception {
        send(PipelineAcls.ROUTER, Topics.INGEST.name());

        assertThatThrownBy(() -> pollIngestWithoutGroup(PipelineAcls.ROUTER))
                .isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void theEmbedderReadsSubmissionsInItsGroupAndWritesEmbeddingsButNoFinalVerdicts() throws Exception {
        send(PipelineAcls.ROUTER, Topics.INGEST.name());

        assertThat(readIngestInEmbedderGroup(PipelineAcls.EMBEDDER)).isPositive();
        send(PipelineAcls.EMBEDDER, Topics.EMBEDDED.name());
        assertThatThrownBy(() -> send(PipelineAcls.EMBEDDER, Topics.FINAL.name()))
                .hasRootCauseInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void servicesFindTheTopicsTheAdminMadeButOnlyTheEmbedderCreatesItsExtraEncodersTopics() {
        for (String service : PipelineAcls.SERVICES) {
            Map<String, Object> admin = KafkaClientSettings
                    .of(broker.bootstrapServers(), broker.clientSettings(service))
                    .admin(Map.of());
            // The topics exist: the service checks them without asking to create any.
            TopicAdmin.ensure(admin, Topics.all(), 1, (short) 1);
            if (service.equals(PipelineAcls.EMBEDDER)) {
                TopicAdmin.ensure(admin, List.of(Topics.embeddedBy("second-encoder")), 1, (short) 1);
            } else {
                assertThatThrownBy(() -> TopicAdmin.ensure(admin, List.of(Topics.embeddedBy("by-" + service)), 1,
                        (short) 1)).as(service).hasMessageContaining("may not create");
            }
        }
    }

    private static void describeCluster(Map<String, String> settings) throws Exception {
        try (Admin admin = Admin.create(KafkaClientSettings.of(broker.bootstrapServers(), settings)
                .admin(Map.of("request.timeout.ms", 10_000, "default.api.timeout.ms", 15_000)))) {
            admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS);
        }
    }

    /** Reads {@code images.ingest} as {@code user} without a group (as the classifier's claim-check readers do). */
    private static void pollIngestWithoutGroup(String user) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(user, Map.of())) {
            TopicPartition partition = new TopicPartition(Topics.INGEST.name(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            consumer.poll(Duration.ofSeconds(10));
        }
    }

    /** How many records of {@code images.ingest} {@code user} reads in the embedder's group. */
    private static int readIngestInEmbedderGroup(String user) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(user, Map.of(ConsumerConfig.GROUP_ID_CONFIG,
                "aidetect-embedder", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))) {
            consumer.subscribe(List.of(Topics.INGEST.name()));
            AtomicInteger read = new AtomicInteger();
            await().atMost(WAIT).until(() -> read.addAndGet(consumer.poll(Duration.ofMillis(200)).count()) > 0);
            return read.get();
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String user, Map<String, Object> own) {
        return new KafkaConsumer<>(KafkaClientSettings.of(broker.bootstrapServers(), broker.clientSettings(user))
                .consumer(own), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static void send(String user, String topic) throws ExecutionException, InterruptedException {
        Map<String, Object> config = KafkaClientSettings.of(broker.bootstrapServers(), broker.clientSettings(user))
                .producer(Map.of("max.block.ms", 15_000, "delivery.timeout.ms", 20_000, "request.timeout.ms", 10_000));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "id".getBytes(), "value".getBytes())).get();
        }
    }

    private static List<Throwable> causes(Throwable e) {
        List<Throwable> causes = new ArrayList<>();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            causes.add(cause);
        }
        return causes;
    }
}
