package dev.aidetect.classifier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import dev.aidetect.schemas.StageVerdict;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.AvroSerializer;

/**
 * The packaged classifier swaps its detection head while embeddings stream in: a new head file moved over the
 * watched one mid-stream takes over without a lost or duplicated verdict, and a head for another embedding size is
 * refused while the serving head carries on.
 */
@QuarkusIntegrationTest
@WithTestResource(SwappableHeadResource.class)
class HeadSwapUnderLoadIT {
    private static final int RECORDS = 2000;
    private static final int PER_SECOND = 250;
    private static final String SLOT = "detection-head";

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final AvroSerializer avro = new AvroSerializer();

    @Test
    void swapsTheHeadMidStreamWithEveryImageDecidedExactlyOnceByTheOldOrTheNewHead() throws Exception {
        Map<String, String> before = awaitServing();
        Path watched = Path.of(before.get("path"));
        String v1 = before.get("version");
        Path staged = watched.resolveSibling("v2-" + run + ".head");
        String v2 = TrainedModels.trainDetectionHead(staged, TrainedModels.SIZE, 1000).version();
        assertThat(v2).isNotEqualTo(v1);

        Instant movedAt = null;
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        List<float[]> vectors = TrainedModels.vectors(List.of("REAL", "FAKE"), 77).vectors();
        Instant firstSent = Instant.now();
        try (KafkaProducer<String, byte[]> producer = BrokerClients.producer()) {
            long start = System.nanoTime();
            for (int i = 0; i < RECORDS; i++) {
                if (i == RECORDS / 2) {
                    Files.move(staged, watched, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    movedAt = Instant.now();
                }
                LockSupport.parkNanos(start + i * 1_000_000_000L / PER_SECOND - System.nanoTime());
                String id = imageId(i);
                sends.add(producer.send(new ProducerRecord<>(Topics.EMBEDDED.name(), id, avro.serialize(null,
                        Records.embedding(id, TrainedModels.ENCODER, vectors.get(i % vectors.size()))))));
            }
        }
        Map<String, RecordMetadata> inputs = new HashMap<>();
        for (int i = 0; i < RECORDS; i++) {
            inputs.put(imageId(i), sends.get(i).get());
        }

        Map<String, List<StageVerdict>> verdicts = collectVerdicts(RECORDS);
        assertThat(verdicts).hasSize(RECORDS).containsOnlyKeys(inputs.keySet());
        assertThat(verdicts.values()).allSatisfy(each -> assertThat(each).hasSize(1));
        Map<String, String> versions = new HashMap<>();
        verdicts.forEach((id, each) -> versions.put(id, each.getFirst().getModel().getVersion()));
        assertThat(versions.values()).containsOnly(v1, v2).contains(v1, v2);
        Map<Integer, List<String>> byPartition = SwapRuns.inPartitionOrder(inputs, versions);
        byPartition.forEach((partition, order) -> {
            int firstNew = order.indexOf(v2);
            int lastOld = order.lastIndexOf(v1);
            // A channel's polls are decided one at a time, in order: no old-head verdict after a new-head one.
            assertThat(lastOld).as("partition %d: old head after the new one", partition).isLessThan(firstNew);
        });
        Instant swappedAt = Instant.parse(awaitServing().get("loadedAt"));
        System.out.println("GET /models after the swap: " + given().get("/models").asString());
        assertThat(awaitServing().get("version")).isEqualTo(v2);
        long fromV1 = versions.values().stream().filter(v1::equals).count();
        Instant lastDecided = verdicts.values().stream().map(each -> each.getFirst().getDecidedAt())
                .max(Comparator.naturalOrder()).orElseThrow();
        System.out.printf("head swap under load: %d records sent at %d/s, all decided %.1f s after the first was "
                + "sent; file moved in at record %d; new head serving %d ms after the move; verdicts %d (v1 %s: %d, "
                + "v2 %s: %d), duplicates 0, lost 0;%s%n", RECORDS, PER_SECOND,
                Duration.between(firstSent, lastDecided).toMillis() / 1000.0, RECORDS / 2,
                Duration.between(movedAt, swappedAt).toMillis(), verdicts.size(), v1, fromV1, v2, RECORDS - fromV1,
                switchPoints(byPartition, v2));
    }

    @Test
    void refusesAHeadForAnotherEmbeddingSizeAndKeepsServingTheOldOne() throws IOException, ExecutionException,
            InterruptedException {
        Map<String, String> before = awaitServing();
        Path watched = Path.of(before.get("path"));
        String serving = before.get("version");
        Path wrongSize = watched.resolveSibling("wrong-size-" + run + ".head");
        TrainedModels.trainDetectionHead(wrongSize, TrainedModels.SIZE / 2, 2000);

        given().auth().oauth2(SwappableHeadResource.ADMIN_TOKEN).queryParam("path", wrongSize.toString())
                .post("/models/" + SLOT + "/reload").then()
                .statusCode(409)
                .body("outcome", is("REFUSED"))
                .body("message", containsString("vectors of size " + TrainedModels.SIZE / 2))
                .body("serving.version", is(serving));
        Files.move(Files.copy(wrongSize, watched.resolveSibling("moving-" + run)), watched,
                StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/metrics").then()
                .body(containsString("aidetect_classifier_reloads_total{outcome=\"refused\",slot=\"" + SLOT
                        + "\"} 2.0")));

        String id = "refused-" + run;
        float[] vector = TrainedModels.vectors(List.of("REAL", "FAKE"), 5).vectors().getFirst();
        try (KafkaProducer<String, byte[]> producer = BrokerClients.producer()) {
            producer.send(new ProducerRecord<>(Topics.EMBEDDED.name(), id, avro.serialize(null,
                    Records.embedding(id, TrainedModels.ENCODER, vector)))).get();
        }
        assertThat(collectVerdicts(1).get(id).getFirst().getModel().getVersion()).isEqualTo(serving);
        assertThat(awaitServing().get("version")).isEqualTo(serving);
    }

    private String imageId(int i) {
        return "swap-" + i + "-" + run;
    }

    private static Map<String, String> awaitServing() {
        return SwapRuns.awaitServing(SLOT);
    }

    private Map<String, List<StageVerdict>> collectVerdicts(int count) {
        return SwapRuns.collect(run, List.of(Topics.DETECTION_VERDICTS.name()), record -> Topics.DETECTION_VERDICTS
                .valueSerde().deserializer().deserialize(record.topic(), record.value()), count);
    }

    private static String switchPoints(Map<Integer, List<String>> byPartition, String v2) {
        StringBuilder points = new StringBuilder();
        byPartition.forEach((partition, order) -> points.append(String.format(" p%d: %d records, first v2 at %d,"
                + " v1 after it %d;", partition, order.size(), order.indexOf(v2),
                order.subList(order.indexOf(v2), order.size()).stream().filter(v -> !v.equals(v2)).count())));
        return points.toString();
    }
}
