package dev.aidetect.classifier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import dev.aidetect.heads.fixtures.SyntheticGenerators;
import dev.aidetect.imaging.Jpegs;
import dev.aidetect.kafka.KafkaEndpoint;
import dev.aidetect.schemas.ImageRef;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageRequest;
import dev.aidetect.schemas.StageVerdict;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.AvroSerializer;

/**
 * The packaged classifier on a real broker finds the pixels of an attribution request by reference: a phone-size JPEG
 * submitted inline is read back from its images.ingest record (the claim check), one submitted by uri is fetched from
 * a local HTTP server; both get a verdict from the gan network.
 */
@QuarkusIntegrationTest
@WithTestResource(BrokerModelsResource.class)
class AttributionByReferenceIT {
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void attributesImagesReadFromTheirIngestRecordAndFetchedByUri() throws Exception {
        String inline = "by-record-" + run;
        String byUri = "by-uri-" + run;
        byte[] photo = phonePhoto(SyntheticGenerators.images(1, 96, 125).get(SyntheticGenerators.SMOOTH).getFirst());
        assertThat(photo.length).as("a phone-size JPEG, over Kafka's default 1 MiB record").isGreaterThan(2 << 20);
        HttpServer server = HttpServer.create(new InetSocketAddress(BrokerModelsResource.LOOPBACK, 0), 0);
        server.createContext("/photos/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "image/jpeg");
            exchange.sendResponseHeaders(200, photo.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(photo);
            }
        });
        server.start();
        try {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then()
                    .statusCode(200).body("status", is("UP")));
            AvroSerializer avro = new AvroSerializer();
            try (KafkaProducer<String, byte[]> producer = largeRecordProducer()) {
                // given a submission whose bytes are only on images.ingest
                RecordMetadata submitted = producer.send(new ProducerRecord<>(Topics.INGEST.name(), inline,
                        avro.serialize(null, Records.submission(inline, "image/jpeg", photo)))).get();
                ImageRef onKafka = ImageRef.newBuilder().setTopic(submitted.topic())
                        .setPartition(submitted.partition()).setOffset(submitted.offset())
                        .setContentType("image/jpeg").setSizeBytes(photo.length).build();
                ImageRef atUri = ImageRef.newBuilder().setUri("http://" + BrokerModelsResource.LOOPBACK + ":"
                        + server.getAddress().getPort() + "/photos/" + byUri + ".jpg").build();
                // when the router asks for attribution by reference only
                producer.send(new ProducerRecord<>(Topics.GAN_ATTRIBUTION_REQUESTS.name(), inline,
                        avro.serialize(null, request(inline, onKafka))));
                producer.send(new ProducerRecord<>(Topics.GAN_ATTRIBUTION_REQUESTS.name(), byUri,
                        avro.serialize(null, request(byUri, atUri))));
            }

            // then both are attributed from their pixels
            Map<String, ConsumerRecord<String, byte[]>> outputs = BrokerClients.awaitOnePerId("by-reference-it-" + run,
                    List.of(Topics.ATTRIBUTION_VERDICTS.name(), Topics.REJECTED.name()), List.of(inline, byUri));
            for (String id : List.of(inline, byUri)) {
                ConsumerRecord<String, byte[]> output = outputs.get(id);
                assertThat(output.topic()).as(id + ": " + BrokerClients.describe(output))
                        .isEqualTo(Topics.ATTRIBUTION_VERDICTS.name());
                StageVerdict verdict = Topics.ATTRIBUTION_VERDICTS.valueSerde().deserializer()
                        .deserialize(output.topic(), output.value());
                assertThat(verdict.getModel().getId()).isEqualTo("attribution-gan-resnet18");
                assertThat(verdict.getDecision()).as(id).isEqualTo(SyntheticGenerators.SMOOTH);
            }
        } finally {
            server.stop(0);
        }
    }

    private static StageRequest request(String imageId, ImageRef original) {
        return StageRequest.newBuilder().setImageId(imageId).setStage(Stage.ATTRIBUTION).setFamily("gan")
                .setOriginal(original).setRequestedAt(Instant.now()).build();
    }

    /**
     * A 3000 x 2000 JPEG of noise (about 5 MiB), whose centre holds {@code generated} where the networks crop: the
     * network sees the generator's pixels, the broker and the decoder a phone photo's size. The bilinear upsampler's
     * fingerprint survives JPEG at quality 0.9; the nearest one's, which the test networks learnt from PNGs, does not.
     */
    private static byte[] phonePhoto(BufferedImage generated) throws IOException {
        BufferedImage photo = new BufferedImage(3000, 2000, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(7);
        for (int y = 0; y < photo.getHeight(); y++) {
            for (int x = 0; x < photo.getWidth(); x++) {
                photo.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        photo.createGraphics().drawImage(generated, (photo.getWidth() - generated.getWidth()) / 2,
                (photo.getHeight() - generated.getHeight()) / 2, null);
        return Jpegs.encode(photo, 0.9f);
    }

    private static KafkaProducer<String, byte[]> largeRecordProducer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaEndpoint.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.INGEST_MAX_MESSAGE_BYTES), new StringSerializer(),
                new ByteArraySerializer());
    }
}
