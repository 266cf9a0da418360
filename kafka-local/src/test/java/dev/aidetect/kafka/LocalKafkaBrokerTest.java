package dev.aidetect.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.Topics;

class LocalKafkaBrokerTest {
    private static LocalKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = LocalKafkaBroker.startTemporary();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void createsEveryPipelineTopicWithOnePartitionCount() throws Exception {
        KafkaEndpoint.createPipelineTopics(broker.bootstrapServers(), 4);
        // Creating again is harmless: existing topics are kept.
        KafkaEndpoint.createPipelineTopics(broker.bootstrapServers(), 4);

        try (Admin admin = Admin
                .create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            List<String> names = Topics.all().stream().map(t -> t.name()).toList();
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get();
            assertThat(topics).hasSize(names.size());
            assertThat(topics.values()).allSatisfy(t -> assertThat(t.partitions()).hasSize(4)
                    .allSatisfy(partition -> assertThat(partition.leader()).isNotNull()));
        }
    }

    @Test
    void saysWhichTopicsAreStillNotWritableWhenTheWaitRunsOut() throws Exception {
        try (Admin admin = Admin
                .create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            org.assertj.core.api.Assertions
                    .assertThatThrownBy(
                            () -> Topics.awaitLeaders(admin, Set.of("never.created"), Duration.ofMillis(300)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("[never.created]", "the brokers do not know the topics yet");
        }
    }

    @Test
    void refusesAnExistingTopicWithAnotherPartitionCount() {
        KafkaEndpoint.createPipelineTopics(broker.bootstrapServers(), 4);

        org.assertj.core.api.Assertions
                .assertThatThrownBy(() -> KafkaEndpoint.createPipelineTopics(broker.bootstrapServers(), 2))
                .hasMessageContaining("partitions but the pipeline is configured for 2");
    }

    @Test
    void deliversATypedRecordFromProducerToConsumer() {
        String topic = "test.delivery." + System.nanoTime();
        ImageSubmitted sent = ImageSubmitted.newBuilder()
                .setImageId("img-1")
                .setSubmittedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .setImage(ImageContent.newBuilder().setContent(java.nio.ByteBuffer.wrap(new byte[]{1, 2, 3})).build())
                .build();

        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                Topics.INGEST.keySerde().serializer(), Topics.INGEST.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic, sent.getImageId(), sent));
        }

        List<ConsumerRecord<String, ImageSubmitted>> received = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                Topics.INGEST.keySerde().deserializer(), Topics.INGEST.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return !received.isEmpty();
            });
        }

        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("img-1");
            assertThat(r.value()).isEqualTo(sent);
        });
    }
}
