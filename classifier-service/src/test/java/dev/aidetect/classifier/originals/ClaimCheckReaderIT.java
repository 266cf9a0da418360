package dev.aidetect.classifier.originals;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.aidetect.classifier.originals.ClaimCheckReader.Read;
import dev.aidetect.kafka.KafkaEndpoint;
import dev.aidetect.schemas.RejectReason;

/** The claim-check reader on a real broker: records by topic, partition and offset, and every way one is not there. */
class ClaimCheckReaderIT {
    private final String topic = "claim-checks-" + UUID.randomUUID().toString().substring(0, 8);
    private ClaimCheckReader reader;

    @BeforeEach
    void createTopicAndReader() throws Exception {
        KafkaEndpoint.createTopic(topic, 3);
        reader = new ClaimCheckReader(() -> new KafkaConsumer<>(ClaimCheckReader.consumerConfig(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaEndpoint.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, "never-used"),
                "claim-check-it"), new StringDeserializer(), new ByteArrayDeserializer()), Duration.ofSeconds(20),
                "aidetect.classifier.claim-check.timeout");
    }

    @AfterEach
    void closeReader() {
        reader.close();
    }

    @Test
    void readsTheClaimChecksOfAWindowAcrossPartitionsInAnyOrder() throws Exception {
        List<ClaimCheck> written = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            written.add(produce(i % 3, "image-" + i));
        }
        List<ClaimCheck> wanted = List.of(written.get(11), written.get(0), written.get(4), written.get(9),
                written.get(1), written.get(2));

        Map<ClaimCheck, Read> reads = reader.read(wanted);

        assertThat(reads).containsOnlyKeys(wanted);
        for (ClaimCheck check : wanted) {
            assertThat(valueOf(reads.get(check))).isEqualTo("image-" + written.indexOf(check));
        }
        // The same reader serves the next window.
        assertThat(valueOf(reader.read(List.of(written.get(7))).get(written.get(7)))).isEqualTo("image-7");
    }

    @Test
    void saysThatRetentionIsShorterThanTheCaseWhenTheRecordIsGone() throws Exception {
        List<ClaimCheck> written = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            written.add(produce(0, "image-" + i));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaEndpoint.bootstrapServers()))) {
            admin.deleteRecords(Map.of(new TopicPartition(topic, 0),
                    RecordsToDelete.beforeOffset(written.get(2).offset()))).all().get();
        }

        Map<ClaimCheck, Read> reads = reader.read(List.of(written.get(1), written.get(3)));

        assertThat(reads.get(written.get(1))).isInstanceOfSatisfying(Read.Unavailable.class, gone -> {
            assertThat(gone.reason()).isEqualTo(RejectReason.MISSING_CONTENT);
            assertThat(gone.message()).contains("no longer holds offset " + written.get(1).offset(),
                    "earliest offset is " + written.get(2).offset(), "retention is shorter than the case",
                    "retention.ms");
        });
        assertThat(valueOf(reads.get(written.get(3)))).isEqualTo("image-3");
    }

    @Test
    void refusesAnOffsetPastTheEndOfThePartition() throws Exception {
        ClaimCheck last = produce(1, "only");
        ClaimCheck next = new ClaimCheck(topic, 1, last.offset() + 5);

        Map<ClaimCheck, Read> reads = reader.read(List.of(next));

        assertThat(reads.get(next)).isInstanceOfSatisfying(Read.Unavailable.class, missing -> {
            assertThat(missing.reason()).isEqualTo(RejectReason.MISSING_CONTENT);
            assertThat(missing.message()).contains("no committed record at offset " + next.offset(), "ends at");
        });
    }

    @Test
    void refusesAPartitionOrTopicThatDoesNotExist() {
        ClaimCheck noPartition = new ClaimCheck(topic, 7, 0);
        ClaimCheck noTopic = new ClaimCheck(topic + "-never-created", 0, 0);

        Map<ClaimCheck, Read> reads = reader.read(List.of(noPartition, noTopic));

        assertThat(reads.get(noPartition)).isInstanceOfSatisfying(Read.Unavailable.class,
                missing -> assertThat(missing.message()).contains("has 3 partitions, none numbered 7"));
        assertThat(reads.get(noTopic)).isInstanceOfSatisfying(Read.Unavailable.class,
                missing -> assertThat(missing.message()).contains("does not exist"));
    }

    @Test
    void neverReturnsTheRecordOfAnAbortedTransaction() throws Exception {
        ClaimCheck aborted;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaEndpoint.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "claim-check-it-" + topic), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            RecordMetadata sent = producer.send(new ProducerRecord<>(topic, 2, "aborted", bytes("aborted"))).get();
            producer.abortTransaction();
            aborted = new ClaimCheck(topic, sent.partition(), sent.offset());
        }
        ClaimCheck committed = produce(2, "after");

        Map<ClaimCheck, Read> reads = reader.read(List.of(aborted, committed));

        assertThat(reads.get(aborted)).isInstanceOfSatisfying(Read.Unavailable.class, missing -> {
            assertThat(missing.reason()).isEqualTo(RejectReason.MISSING_CONTENT);
            assertThat(missing.message()).contains("no committed record is at offset " + aborted.offset());
        });
        assertThat(valueOf(reads.get(committed))).isEqualTo("after");
    }

    private ClaimCheck produce(int partition, String value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaEndpoint.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            RecordMetadata sent = producer.send(new ProducerRecord<>(topic, partition, value, bytes(value))).get();
            return new ClaimCheck(topic, sent.partition(), sent.offset());
        }
    }

    private static String valueOf(Read read) {
        assertThat(read).isInstanceOf(Read.Found.class);
        return new String(((Read.Found) read).value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
