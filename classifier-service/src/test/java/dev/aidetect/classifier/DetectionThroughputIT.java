package dev.aidetect.classifier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.AvroSerializer;

/**
 * The packaged classifier decides a burst of embeddings already waiting on the broker, each exactly once, and prints
 * how many records per second it decided (a figure for the log, not asserted: the machine is shared).
 */
@QuarkusIntegrationTest
@WithTestResource(BrokerModelsResource.class)
class DetectionThroughputIT {
    private static final int RECORDS = 5000;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final AvroSerializer avro = new AvroSerializer();

    @Test
    void decidesEveryEmbeddingOfABurstOnceAndReportsRecordsPerSecond() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200).body("status", is("UP")));
        List<float[]> vectors = TrainedModels.vectors(List.of("REAL", "FAKE"), 31).vectors();
        try (KafkaConsumer<String, byte[]> consumer = BrokerClients.consumer("throughput-it-" + run);
                KafkaProducer<String, byte[]> producer = BrokerClients.producer()) {
            consumer.subscribe(List.of(Topics.DETECTION_VERDICTS.name()));
            long start = System.nanoTime();
            for (int i = 0; i < RECORDS; i++) {
                String id = "burst-" + i + "-" + run;
                producer.send(new ProducerRecord<>(Topics.EMBEDDED.name(), id, avro.serialize(null,
                        Records.embedding(id, TrainedModels.ENCODER, vectors.get(i % vectors.size())))));
            }
            producer.flush();
            Set<String> decided = new HashSet<>();
            int[] verdicts = {0};
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ZERO).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(record -> {
                    if (record.key() != null && record.key().endsWith(run)) {
                        decided.add(record.key());
                        verdicts[0]++;
                    }
                });
                return decided.size() >= RECORDS;
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("detection throughput: %d embeddings produced at once, all decided in %.1f s: %.0f "
                    + "records/s%n", RECORDS, seconds, RECORDS / seconds);
            // A poll decided twice shows up after the last first verdict: keep reading a while.
            long lingerUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < lingerUntil) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (record.key() != null && record.key().endsWith(run)) {
                        verdicts[0]++;
                    }
                });
            }
            assertThat(verdicts[0]).isEqualTo(RECORDS);
        }
    }
}
