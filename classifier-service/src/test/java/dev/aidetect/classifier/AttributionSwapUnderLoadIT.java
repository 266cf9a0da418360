package dev.aidetect.classifier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import javax.imageio.ImageIO;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import dev.aidetect.heads.fixtures.SyntheticGenerators;
import dev.aidetect.schemas.ImageRef;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageRequest;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.AvroSerializer;

/**
 * The packaged classifier swaps its gan attribution network while requests stream in: the network directory's link
 * re-pointed mid-stream makes the retrained network serve, with every request decided exactly once, those before the
 * swap by the old version and those after by the new; a network of another family is refused by the endpoint while
 * the serving one carries on.
 */
@QuarkusIntegrationTest
@WithTestResource(SwappableNetworkResource.class)
class AttributionSwapUnderLoadIT {
    private static final int RECORDS = 240;
    private static final int PER_SECOND = 30;
    private static final String SLOT = "attribution-gan";

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final AvroSerializer avro = new AvroSerializer();

    @Test
    void swapsTheNetworkMidStreamWithEveryRequestDecidedOnceOldBeforeNew() throws Exception {
        // given: the gan network serving through a link, and a retrained one beside it
        Map<String, String> before = SwapRuns.awaitServing(SLOT);
        Path link = Path.of(before.get("path"));
        String v1 = before.get("version");
        Path retrained = TrainedModels.retrainedGanNetworkDir();
        String v2 = TrainedModels.networkVersion(retrained);
        assertThat(v2).isNotEqualTo(v1);
        List<byte[]> images = new ArrayList<>();
        SyntheticGenerators.images(8, 96, 41).values().forEach(each -> each.forEach(image -> images.add(png(image))));

        // when: requests stream in, each naming its image's images.ingest record, and the link is re-pointed halfway
        Instant movedAt = null;
        Map<String, RecordMetadata> requests = new HashMap<>();
        try (KafkaProducer<String, byte[]> producer = BrokerClients.producer()) {
            // One request first, its verdict awaited: the consumers have their partitions and decide with v1 before
            // the timed stream starts (on a busy machine they joined after the swap, and every verdict was v2).
            String warmUp = "net-swap-warm-up-" + run + "-w";
            send(producer, warmUp, images.getFirst());
            assertThat(SwapRuns.collect(run + "-w", List.of(Topics.ATTRIBUTION_VERDICTS.name()),
                    record -> Topics.ATTRIBUTION_VERDICTS.valueSerde().deserializer()
                            .deserialize(record.topic(), record.value()).getModel().getVersion(),
                    1).get(warmUp))
                    .as("the warm-up request's verdict").containsExactly(v1);
            long start = System.nanoTime();
            for (int i = 0; i < RECORDS; i++) {
                if (i == RECORDS / 2) {
                    Path next = Files.createSymbolicLink(link.resolveSibling(SLOT + ".next-" + run), retrained);
                    Files.move(next, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    movedAt = Instant.now();
                }
                LockSupport.parkNanos(start + i * 1_000_000_000L / PER_SECOND - System.nanoTime());
                String id = "net-swap-" + i + "-" + run;
                requests.put(id, send(producer, id, images.get(i % images.size())));
            }
        }

        // then: one verdict per request, none rejected, the old version before the new in every partition
        Map<String, List<String>> outcomes = collectOutcomes(requests.size());
        assertThat(outcomes).containsOnlyKeys(requests.keySet());
        assertThat(outcomes.values()).allSatisfy(each -> assertThat(each).as("one outcome per request").hasSize(1));
        Map<String, String> versions = new HashMap<>();
        outcomes.forEach((id, each) -> versions.put(id, each.getFirst()));
        assertThat(versions.values()).as("verdicts, none rejected").containsOnly(v1, v2).contains(v1, v2);
        Map<Integer, List<String>> byPartition = SwapRuns.inPartitionOrder(requests, versions);
        byPartition.forEach((partition, order) -> {
            int firstNew = order.contains(v2) ? order.indexOf(v2) : order.size();
            assertThat(order.lastIndexOf(v1)).as("partition %d: an old-version verdict after a new one", partition)
                    .isLessThan(firstNew);
        });
        assertThat(versions.get("net-swap-0-" + run)).as("sent long before the swap").isEqualTo(v1);
        assertThat(versions.get("net-swap-" + (RECORDS - 1) + "-" + run)).as("sent long after").isEqualTo(v2);
        Map<String, String> after = SwapRuns.awaitServing(SLOT);
        assertThat(after.get("version")).isEqualTo(v2);
        assertThat(after.get("path")).isEqualTo(link.toString());
        given().get("/q/metrics").then().body(containsString(
                "aidetect_classifier_reloads_total{outcome=\"swapped\",slot=\"" + SLOT + "\"} 1.0"));
        long fromV1 = versions.values().stream().filter(v1::equals).count();
        System.out.printf("attribution network swap under load: %d requests at %d/s, link re-pointed at request %d; "
                + "new network serving %d ms after; verdicts %d (v1 %s: %d, v2 %s: %d), rejected 0, duplicates 0%n",
                RECORDS, PER_SECOND, RECORDS / 2,
                Duration.between(movedAt, Instant.parse(after.get("loadedAt"))).toMillis(), versions.size(), v1,
                fromV1, v2, RECORDS - fromV1);

        // and: a network of another family, offered by the endpoint, is refused while the serving one stays
        given().auth().oauth2(SwappableHeadResource.ADMIN_TOKEN)
                .queryParam("path", TrainedModels.ganNetworkDir().resolveSibling("attribution-diffusion").toString())
                .post("/models/" + SLOT + "/reload").then()
                .statusCode(409)
                .body("outcome", is("REFUSED"))
                .body("message", containsString("family 'diffusion'"))
                .body("serving.version", is(v2));
    }

    /** Every outcome of this run by image id: the version of each verdict, or "rejected: reason" for a rejection. */
    /** Submits {@code image} to images.ingest and a gan attribution request naming that record. */
    private RecordMetadata send(KafkaProducer<String, byte[]> producer, String id, byte[] image) throws Exception {
        RecordMetadata submitted = producer.send(new ProducerRecord<>(Topics.INGEST.name(), id,
                avro.serialize(null, Records.submission(id, "image/png", image)))).get();
        ImageRef original = ImageRef.newBuilder().setTopic(submitted.topic()).setPartition(submitted.partition())
                .setOffset(submitted.offset()).setContentType("image/png").setSizeBytes(image.length).build();
        return producer.send(new ProducerRecord<>(Topics.GAN_ATTRIBUTION_REQUESTS.name(), id,
                avro.serialize(null, StageRequest.newBuilder().setImageId(id).setStage(Stage.ATTRIBUTION)
                        .setFamily("gan").setOriginal(original).setRequestedAt(Instant.now()).build())))
                .get();
    }

    private Map<String, List<String>> collectOutcomes(int count) {
        return SwapRuns.collect(run, List.of(Topics.ATTRIBUTION_VERDICTS.name(), Topics.REJECTED.name()),
                record -> record.topic().equals(Topics.REJECTED.name())
                        ? BrokerClients.describe(record)
                        : Topics.ATTRIBUTION_VERDICTS.valueSerde().deserializer()
                                .deserialize(record.topic(), record.value()).getModel().getVersion(),
                count);
    }

    private static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a PNG", e);
        }
    }
}
