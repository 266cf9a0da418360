package dev.aidetect.embedder;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import dev.aidetect.embedding.TestSubmissions;
import dev.aidetect.kafka.KafkaBrokerTestResource;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ModelRef;
import dev.aidetect.schemas.Topics;

/**
 * The packaged service runs two encoders on one decoded image and publishes each one's vector on its own: the first
 * encoder's on images.embedded, the second's on images.embedded.&lt;its id&gt;, a topic it created itself.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(value = SeparateEncodersTestResource.class, restrictToAnnotatedClass = true)
class SeparateEncodersFastJarIT {
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @Test
    void publishesEachEncodersVectorUnderItsOwnIdOnItsOwnTopic() throws Exception {
        // given
        await().atMost(DEADLINE).until(() -> given().get("/q/health/ready").statusCode() == 200);
        given().get("/q/health/ready").then()
                .body("checks.find { it.name == 'encoder' }.data.id",
                        is("tiny-clip-vit+" + SeparateEncodersTestResource.SECOND_ID));

        // when
        String imageId = "separate-encoders-" + UUID.randomUUID();
        ImageEmbedding first = BrokerRoundTrip.embed(imageId, TestSubmissions.jpeg(90, 60), DEADLINE);
        ImageEmbedding second = BrokerRoundTrip.awaitEmbedding(
                Topics.embeddedBy(SeparateEncodersTestResource.SECOND_ID), imageId, DEADLINE);

        // then
        assertThat(first.getEncodedBy()).isEqualTo(new ModelRef("tiny-clip-vit", "1"));
        assertThat(second.getEncodedBy()).isEqualTo(new ModelRef(SeparateEncodersTestResource.SECOND_ID, "2"));
        assertThat(first.getVector()).hasSize(64);
        assertThat(second.getVector()).as("the same weights under another id give the same vector")
                .isEqualTo(first.getVector());
        assertThat(second.getTimings()).isEqualTo(first.getTimings());
    }
}
