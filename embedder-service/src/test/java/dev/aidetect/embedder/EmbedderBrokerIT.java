package dev.aidetect.embedder;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.aidetect.embedding.TestSubmissions;
import dev.aidetect.kafka.KafkaBrokerTestResource;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageReceived;
import dev.aidetect.schemas.ImageRef;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.DeadLetter;

/**
 * The embedder as a running service on a real broker: records in on images.ingest, receipts, embeddings and rejections
 * out on the real topics.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class EmbedderBrokerIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, ImageEmbedding> embeddings = new ConcurrentHashMap<>();
    private final Map<String, ImageRejected> rejections = new ConcurrentHashMap<>();
    private final Map<String, ImageReceived> receipts = new ConcurrentHashMap<>();
    /** Dead letters by their origin on images.ingest, partition@offset. */
    private final Map<String, ConsumerRecord<String, byte[]>> deadLetters = new ConcurrentHashMap<>();

    @Test
    void embedsGoodImagesAndRejectsBadOnesThroughTheBroker() throws Exception {
        await().atMost(DEADLINE).until(() -> given().get("/q/health/ready").statusCode() == 200);
        List<String> good = List.of(run + "-good-0", run + "-good-1", run + "-good-2");
        String html = run + "-html";
        RecordMetadata unkeyed;
        Map<String, RecordMetadata> written = new ConcurrentHashMap<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < good.size(); i++) {
                written.put(good.get(i), send(producer, good.get(i), TestSubmissions
                        .encode(TestSubmissions.inline(good.get(i), TestSubmissions.jpeg(200 + 10 * i, 150)))));
            }
            send(producer, html, TestSubmissions.encode(TestSubmissions.inline(html, TestSubmissions.html())));
            unkeyed = send(producer, null, ("garbage " + run).getBytes(StandardCharsets.UTF_8));
        }

        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            await().atMost(DEADLINE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(this::collect);
                return embeddings.keySet().containsAll(good) && rejections.containsKey(html)
                        && deadLetters.containsKey(unkeyed.partition() + "@" + unkeyed.offset())
                        && receipts.keySet().containsAll(good)
                        && receipts.containsKey(html);
            });
        }

        for (String imageId : good) {
            assertThat(embeddings.get(imageId).getVector()).hasSize(64);
            assertThat(embeddings.get(imageId).getEncodedBy().getId()).isEqualTo("tiny-clip-vit");
            ImageRef original = receipts.get(imageId).getOriginal();
            assertThat(original.getTopic()).isEqualTo(Topics.INGEST.name());
            assertThat(original.getPartition()).isEqualTo(written.get(imageId).partition());
            assertThat(original.getOffset()).as("the receipt points at the record holding the pixels")
                    .isEqualTo(written.get(imageId).offset());
            assertThat(embeddings.get(imageId).getOriginal()).as("so does the embedding").isEqualTo(original);
        }
        assertThat(rejections.get(html).getReason()).isEqualTo(RejectReason.NOT_AN_IMAGE);
        // An unkeyed record that is not a submission names no image: a dead letter, not a rejection (a rejection
        // would give a final verdict to an id nobody submitted), with its bytes and where it came from.
        ConsumerRecord<String, byte[]> deadLetter = deadLetters.get(unkeyed.partition() + "@" + unkeyed.offset());
        assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).isEqualTo("garbage " + run);
        assertThat(DeadLetter.originTopic(deadLetter.headers())).contains(Topics.INGEST.name());
        assertThat(DeadLetter.text(deadLetter.headers(), DeadLetter.REASON)).contains("NOT_AVRO");
        assertThat(DeadLetter.text(deadLetter.headers(), DeadLetter.SERVICE)).contains("embedder");
        given().get("/q/metrics").then()
                .body(containsString("aidetect_embedder_images_embedded_total"))
                .body(containsString("aidetect_embedder_images_rejected_total{reason=\"NOT_AN_IMAGE\"}"))
                .body(containsString("aidetect_embedder_batch_size"));
    }

    private void collect(ConsumerRecord<String, byte[]> record) {
        if (record.topic().equals(Topics.RECEIVED.name())) {
            receipts.put(record.key(),
                    Topics.RECEIVED.valueSerde().deserializer().deserialize(record.topic(), record.value()));
        } else if (record.topic().equals(Topics.EMBEDDED.name())) {
            embeddings.put(record.key(),
                    Topics.EMBEDDED.valueSerde().deserializer().deserialize(record.topic(), record.value()));
        } else if (record.topic().equals(Topics.EMBEDDER_DEAD_LETTERS.name())) {
            if (DeadLetter.originTopic(record.headers()).isPresent()) {
                deadLetters.put(DeadLetter.text(record.headers(), DeadLetter.PARTITION).orElseThrow() + "@"
                        + DeadLetter.text(record.headers(), DeadLetter.OFFSET).orElseThrow(), record);
            }
        } else {
            rejections.put(record.key(),
                    Topics.REJECTED.valueSerde().deserializer().deserialize(record.topic(), record.value()));
        }
    }

    private static RecordMetadata send(KafkaProducer<String, byte[]> producer, String key, byte[] value)
            throws Exception {
        return producer.send(new ProducerRecord<>(Topics.INGEST.name(), key, value)).get();
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "embedder-it-" + run);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.RECEIVED.name(), Topics.EMBEDDED.name(), Topics.REJECTED.name(),
                Topics.EMBEDDER_DEAD_LETTERS.name()));
        return consumer;
    }
}
