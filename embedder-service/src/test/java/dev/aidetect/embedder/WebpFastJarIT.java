package dev.aidetect.embedder;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import dev.aidetect.kafka.KafkaBrokerTestResource;
import dev.aidetect.kafka.KafkaEndpoint;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.Topics;

/**
 * The packaged fast-jar ({@code target/quarkus-app/quarkus-run.jar}) embeds a WebP: the TwelveMonkeys ImageIO reader
 * is found inside Quarkus' class loader, not only on a flat test class path.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(TinyEncoderTestResource.class)
class WebpFastJarIT {
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @Test
    void packagedServiceEmbedsWebpSubmission() throws Exception {
        // given
        String imageId = "webp-" + UUID.randomUUID();
        byte[] webp = Files.readAllBytes(Path.of(System.getProperty("aidetect.project.root"),
                "imaging/src/test/resources/formats/photo-lossy.webp"));
        await().atMost(DEADLINE).until(() -> given().get("/q/health/ready").statusCode() == 200);

        // when
        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaEndpoint.bootstrapServers());
        try (var producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.INGEST.name(), imageId,
                    TestSubmissions.encode(TestSubmissions.inline(imageId, webp)))).get();
        }

        // then
        AtomicReference<ImageEmbedding> embedding = new AtomicReference<>();
        Properties consumerConfig = new Properties();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaEndpoint.bootstrapServers());
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, imageId);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.EMBEDDED.name(), Topics.REJECTED.name()));
            await().atMost(DEADLINE).until(() -> {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    assertThat(record.topic()).as("record for %s", record.key()).isNotEqualTo(Topics.REJECTED.name());
                    if (imageId.equals(record.key())) {
                        embedding.set(Topics.EMBEDDED.valueSerde().deserializer().deserialize(record.topic(),
                                record.value()));
                    }
                }
                return embedding.get() != null;
            });
        }
        assertThat(embedding.get().getFormat()).isEqualTo("webp");
        assertThat(embedding.get().getWidth()).isEqualTo(64);
        assertThat(embedding.get().getVector()).hasSize(64);
    }
}
