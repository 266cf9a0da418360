package dev.aidetect.embedder;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import dev.aidetect.kafka.KafkaBrokerTestResource;
import dev.aidetect.schemas.ImageEmbedding;

/**
 * The packaged fast-jar ({@code target/quarkus-app/quarkus-run.jar}) embeds a WebP: the TwelveMonkeys ImageIO reader
 * is found inside Quarkus' class loader, not only on a flat test class path.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
// Restricted: it names the encoder, which DownloadedEncodersFastJarIT sets otherwise.
@QuarkusTestResource(value = TinyEncoderTestResource.class, restrictToAnnotatedClass = true)
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
        ImageEmbedding embedding = BrokerRoundTrip.embed(imageId, webp, DEADLINE);

        // then
        assertThat(embedding.getFormat()).isEqualTo("webp");
        assertThat(embedding.getWidth()).isEqualTo(64);
        assertThat(embedding.getVector()).hasSize(64);
    }
}
