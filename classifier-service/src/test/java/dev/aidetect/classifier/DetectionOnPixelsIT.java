package dev.aidetect.classifier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import dev.aidetect.heads.attribution.DetectionNetwork;
import dev.aidetect.heads.fixtures.SyntheticGenerators;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageRef;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageVerdict;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.AvroSerializer;

/**
 * The packaged classifier on a real broker with aidetect.classifier.detection-input=pixels: the real/fake call is the
 * detection network's, on the pixels of the original each embedding names. An image submitted inline is read back from
 * its images.ingest record (the claim check), one submitted by uri is fetched; both are decided by the network. An
 * embedding that names no original is a MISSING_CONTENT rejection that says what to change, not a crash.
 */
@QuarkusIntegrationTest
@WithTestResource(PixelDetectionResource.class)
class DetectionOnPixelsIT {
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void decidesRealOrFakeOnThePixelsOfTheOriginalAndRejectsAnEmbeddingWithoutOne() throws Exception {
        String inline = "pixels-inline-" + run;
        String byUri = "pixels-uri-" + run;
        String noOriginal = "pixels-none-" + run;
        Map<String, BufferedImage> generated = SyntheticGenerators.images(1, 96, 211).entrySet().stream().collect(
                java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getFirst()));
        // The test network calls the nearest upsampler's pixels FAKE and the bilinear one's REAL.
        byte[] fake = png(generated.get(SyntheticGenerators.BLOCKY));
        byte[] real = png(generated.get(SyntheticGenerators.SMOOTH));
        HttpServer server = HttpServer.create(new InetSocketAddress(BrokerModelsResource.LOOPBACK, 0), 0);
        server.createContext("/images/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, real.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(real);
            }
        });
        server.start();
        try (DetectionNetwork network = DetectionNetwork.load(TrainedModels.detectionNetworkDir())) {
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().get("/q/health/ready").then()
                    .statusCode(200).body("status", is("UP"))
                    .body("checks.find { it.name == 'classifier models' }.data.'detection network'",
                            startsWith("LOADED: " + network.id())));
            AvroSerializer avro = new AvroSerializer();
            try (KafkaProducer<String, byte[]> producer = BrokerClients.producer()) {
                // given a submission whose bytes are only on images.ingest, and one by uri
                RecordMetadata submitted = producer.send(new ProducerRecord<>(Topics.INGEST.name(), inline,
                        avro.serialize(null, Records.submission(inline, "image/png", fake)))).get();
                ImageRef onKafka = ImageRef.newBuilder().setTopic(submitted.topic())
                        .setPartition(submitted.partition()).setOffset(submitted.offset())
                        .setContentType("image/png").setSizeBytes(fake.length).build();
                ImageRef atUri = ImageRef.newBuilder().setUri("http://" + BrokerModelsResource.LOOPBACK + ":"
                        + server.getAddress().getPort() + "/images/" + byUri + ".png").build();
                // when the embedder's records name where the pixels are (and one names nothing)
                producer.send(new ProducerRecord<>(Topics.EMBEDDED.name(), inline,
                        avro.serialize(null, embedding(inline, onKafka))));
                producer.send(new ProducerRecord<>(Topics.EMBEDDED.name(), byUri,
                        avro.serialize(null, embedding(byUri, atUri))));
                producer.send(new ProducerRecord<>(Topics.EMBEDDED.name(), noOriginal,
                        avro.serialize(null, embedding(noOriginal, null))));
            }

            // then the network decides each image with pixels, and the one without is refused with what to do
            Map<String, ConsumerRecord<String, byte[]>> outputs = BrokerClients.awaitOnePerId("pixels-it-" + run,
                    List.of(Topics.DETECTION_VERDICTS.name(), Topics.REJECTED.name()),
                    List.of(inline, byUri, noOriginal));
            Map<String, String> expected = Map.of(inline, DetectionNetwork.FAKE, byUri, DetectionNetwork.REAL);
            expected.forEach((id, decision) -> {
                ConsumerRecord<String, byte[]> output = outputs.get(id);
                assertThat(output.topic()).as(id + ": " + BrokerClients.describe(output))
                        .isEqualTo(Topics.DETECTION_VERDICTS.name());
                StageVerdict verdict = Topics.DETECTION_VERDICTS.valueSerde().deserializer()
                        .deserialize(output.topic(), output.value());
                assertThat(verdict.getStage()).isEqualTo(Stage.DETECTION);
                assertThat(verdict.getDecision()).as(id).isEqualTo(decision);
                assertThat(verdict.getModel().getId()).isEqualTo(network.id());
                assertThat(verdict.getModel().getVersion()).isEqualTo(network.version());
                assertThat(verdict.getThreshold()).isEqualTo(network.serving().threshold());
            });
            ConsumerRecord<String, byte[]> refused = outputs.get(noOriginal);
            assertThat(refused.topic()).isEqualTo(Topics.REJECTED.name());
            ImageRejected rejected = Topics.REJECTED.valueSerde().deserializer().deserialize(refused.topic(),
                    refused.value());
            assertThat(rejected.getStage()).isEqualTo(Stage.DETECTION);
            assertThat(rejected.getReason()).isEqualTo(RejectReason.MISSING_CONTENT);
            assertThat(rejected.getMessage()).contains("the embedding of image " + noOriginal,
                    "detection-input=pixels", "ImageEmbedding.original");
        } finally {
            server.stop(0);
        }
    }

    private static ImageEmbedding embedding(String imageId, ImageRef original) {
        ImageEmbedding embedding = Records.embedding(imageId, TrainedModels.ENCODER, new float[TrainedModels.SIZE]);
        embedding.setOriginal(original);
        return embedding;
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

}
