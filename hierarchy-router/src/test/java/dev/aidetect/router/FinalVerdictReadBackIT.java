package dev.aidetect.router;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.aidetect.kafka.KafkaBrokerTestResource;
import dev.aidetect.router.streams.Records;
import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageReceived;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.Topics;

/**
 * verdicts.final read back on a real broker: a final already on the topic (an earlier run wrote it) is what
 * {@code GET /verdicts/{id}} answers, and every record of its image that comes afterwards, however late, makes no
 * second final; a case the router finishes itself is answered from the read-back store too.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class FinalVerdictReadBackIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String earlier = run + "-earlier";
    private final String fresh = run + "-fresh";
    private final List<PipelineClient.Received> received = new ArrayList<>();

    @Test
    void imageWithAFinalOnTheTopicKeepsItAndGetsNoSecondOneHoweverLateItsRecordsCome() {
        await().atMost(DEADLINE).until(() -> given().get("/q/health/ready").statusCode() == 200);
        try (PipelineClient pipeline = new PipelineClient(bootstrapServers, List.of(Topics.FINAL),
                Set.of(earlier, fresh))) {
            // given a final written by an earlier run, before this router saw anything of the image
            pipeline.send(Topics.FINAL, earlier, earlierFinal(earlier));
            await().atMost(DEADLINE).until(() -> given().get("/verdicts/" + earlier).statusCode() == 200);
            given().get("/verdicts/" + earlier).then()
                    .body("status", is("DECIDED"))
                    .body("authenticity", is("FAKE"))
                    .body("source", is("earlier-run"));

            // when the image's records come again (a replay under the same id), and a new image runs through
            for (String imageId : List.of(earlier, fresh)) {
                pipeline.send(Topics.RECEIVED, imageId, submittedNow(imageId));
                pipeline.send(Topics.EMBEDDED, imageId, Records.embedding(imageId));
                pipeline.send(Topics.DETECTION_VERDICTS, imageId,
                        Records.verdict(imageId, Stage.DETECTION, "REAL", 0.1));
            }

            // then only the new image gets a final; the earlier one keeps the one it had
            await().atMost(DEADLINE).until(() -> finalsOf(pipeline, fresh).size() == 1);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> finalsOf(pipeline, earlier).size() == 1 && finalsOf(pipeline, fresh).size() == 1);
        }
        assertThat(finals(earlier).getFirst().getSource()).isEqualTo("earlier-run");
        given().get("/verdicts/" + earlier).then().statusCode(200).body("source", is("earlier-run"));
        given().get("/verdicts/" + fresh).then().statusCode(200)
                .body("status", is("DECIDED"))
                .body("authenticity", is("REAL"))
                .body("source", is("router-test"));
    }

    private List<FinalVerdict> finalsOf(PipelineClient pipeline, String imageId) {
        received.addAll(pipeline.poll());
        return finals(imageId);
    }

    private List<FinalVerdict> finals(String imageId) {
        return received.stream().filter(r -> r.imageId().equals(imageId)).map(r -> (FinalVerdict) r.value())
                .toList();
    }

    private static FinalVerdict earlierFinal(String imageId) {
        return FinalVerdict.newBuilder().setImageId(imageId).setStatus(FinalStatus.DECIDED)
                .setAuthenticity(Authenticity.FAKE).setScore(0.9).setFamily("gan").setGenerator("stylegan2")
                .setSubmittedAt(Instant.now().minusSeconds(7200)).setFinalizedAt(Instant.now().minusSeconds(7190))
                .setLatencyMillis(10_000).setSource("earlier-run").setAttributes(Map.of()).build();
    }

    private static ImageReceived submittedNow(String imageId) {
        ImageReceived submission = Records.submission(imageId);
        submission.setSubmittedAt(Instant.now());
        return submission;
    }
}
