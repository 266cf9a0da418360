package dev.aidetect.embedder;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import dev.aidetect.embedding.TestSubmissions;
import dev.aidetect.kafka.KafkaBrokerTestResource;
import dev.aidetect.schemas.ImageEmbedding;

/**
 * The packaged service downloads an encoder named by URL into its model cache, runs it on the configured device beside
 * a second, local one, and publishes their concatenated vector under the joined encoder id. (A fast-jar in its own
 * JVM: a second in-JVM Quarkus app could not load libtorch again in a new class loader.)
 */
@QuarkusIntegrationTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
// Restricted: unrestricted test resources apply to every @QuarkusTest of the module.
@QuarkusTestResource(value = ModelServerTestResource.class, restrictToAnnotatedClass = true)
class DownloadedEncodersFastJarIT {
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @Test
    void embedsWithTheDownloadedEncoderBesideTheLocalOne() throws Exception {
        // given
        await().atMost(DEADLINE).until(() -> given().get("/q/health/ready").statusCode() == 200);
        given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'encoder' }.data.id", is("tiny-clip-vit+tiny-clip-vit"))
                .body("checks.find { it.name == 'encoder' }.data.device", is("cpu()"))
                .body("checks.find { it.name == 'encoder' }.data.precision", is("float32"));

        // when
        String imageId = "two-encoders-" + UUID.randomUUID();
        ImageEmbedding embedding = BrokerRoundTrip.embed(imageId, TestSubmissions.jpeg(90, 60), DEADLINE);

        // then
        assertThat(embedding.getEncodedBy().getId()).isEqualTo("tiny-clip-vit+tiny-clip-vit");
        assertThat(embedding.getEncodedBy().getVersion()).isEqualTo("1+1");
        assertThat(embedding.getVector()).hasSize(128);
        assertThat(embedding.getVector().subList(0, 64)).as("the same encoder twice gives the same half twice")
                .isEqualTo(embedding.getVector().subList(64, 128));
        try (Stream<Path> cached = Files.walk(ModelServerTestResource.CACHE)) {
            assertThat(cached.map(path -> path.getFileName().toString())).contains("manifest.json", "encoder.pt");
        }
    }
}
