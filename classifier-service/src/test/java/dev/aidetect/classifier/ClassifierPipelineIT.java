package dev.aidetect.classifier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import dev.aidetect.heads.fixtures.SyntheticGenerators;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.StageVerdict;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.AvroSerializer;

/**
 * The packaged classifier (quarkus-run.jar, started as the launcher starts it) on a real broker: every stage's
 * input topic in, verdicts and rejections out.
 */
@QuarkusIntegrationTest
@WithTestResource(BrokerModelsResource.class)
class ClassifierPipelineIT {
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void answersEveryStageOnARealBroker() throws IOException {
        String detection = "it-detection-" + run;
        String family = "it-family-" + run;
        String attribution = "it-attribution-" + run;
        String garbage = "it-garbage-" + run;
        float[] fake = TrainedModels.vectors(List.of("REAL", "FAKE"), 123).vectors().get(1);
        float[] diffusion = TrainedModels.vectors(List.of("gan", "diffusion"), 124).vectors().get(1);
        BufferedImage blocky = SyntheticGenerators.images(1, 96, 125).get(SyntheticGenerators.BLOCKY).getFirst();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200).body("status", is("UP")));
        AvroSerializer avro = new AvroSerializer();
        try (KafkaProducer<String, byte[]> producer = BrokerClients.producer()) {
            producer.send(new ProducerRecord<>(Topics.EMBEDDED.name(), detection, avro.serialize(null,
                    Records.embedding(detection, TrainedModels.ENCODER, fake))));
            producer.send(new ProducerRecord<>(Topics.FAMILY_REQUESTS.name(), family, avro.serialize(null,
                    Records.familyRequest(family, TrainedModels.ENCODER, diffusion))));
            producer.send(new ProducerRecord<>(Topics.GAN_ATTRIBUTION_REQUESTS.name(), attribution, avro.serialize(
                    null, Records.attributionRequest(attribution, "gan", png(blocky)))));
            producer.send(new ProducerRecord<>(Topics.EMBEDDED.name(), garbage, new byte[]{42}));
        }

        Map<String, ConsumerRecord<String, byte[]>> outputs = collect(4);
        assertThat(verdict(outputs.get(detection)).getDecision()).isEqualTo("FAKE");
        assertThat(outputs.get(detection).topic()).isEqualTo(Topics.DETECTION_VERDICTS.name());
        assertThat(verdict(outputs.get(family)).getDecision()).isEqualTo("diffusion");
        assertThat(outputs.get(family).topic()).isEqualTo(Topics.FAMILY_VERDICTS.name());
        assertThat(verdict(outputs.get(attribution)).getDecision()).isEqualTo(SyntheticGenerators.BLOCKY);
        assertThat(outputs.get(attribution).topic()).isEqualTo(Topics.ATTRIBUTION_VERDICTS.name());
        ImageRejected rejected = Topics.REJECTED.valueSerde().deserializer().deserialize(Topics.REJECTED.name(),
                outputs.get(garbage).value());
        assertThat(rejected.getReason()).isEqualTo(RejectReason.BAD_RECORD);
    }

    /** Reads the output topics until {@code count} records of this run have arrived, by key. */
    private Map<String, ConsumerRecord<String, byte[]>> collect(int count) {
        Map<String, ConsumerRecord<String, byte[]>> byKey = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = BrokerClients.consumer("classifier-it-" + run)) {
            consumer.subscribe(List.of(Topics.DETECTION_VERDICTS.name(), Topics.FAMILY_VERDICTS.name(),
                    Topics.ATTRIBUTION_VERDICTS.name(), Topics.REJECTED.name()));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (record.key() != null && record.key().endsWith(run)) {
                        byKey.put(record.key(), record);
                    }
                });
                return byKey.size() >= count;
            });
        }
        return byKey;
    }

    private static StageVerdict verdict(ConsumerRecord<String, byte[]> record) {
        return Topics.DETECTION_VERDICTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
