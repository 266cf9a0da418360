package dev.aidetect.router;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

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
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageRequest;
import dev.aidetect.schemas.Topics;

/**
 * The router as a running service on a real broker: it opens cases from the embedder's receipts on images.received,
 * answers the stages' verdicts with requests (the attribution request with the reference to the pixels), publishes
 * exactly one committed final verdict per image, and serves verdicts and metrics over HTTP.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class RouterBrokerIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String real = run + "-real";
    private final String fake = run + "-fake";
    private final String rejected = run + "-rejected";
    private final String silent = run + "-silent";
    private final List<PipelineClient.Received> received = new ArrayList<>();

    @Test
    void endsEveryCaseInExactlyOneCommittedFinalAndServesItOverHttp() {
        await().atMost(DEADLINE).until(() -> given().get("/q/health/ready").statusCode() == 200);
        try (PipelineClient pipeline = new PipelineClient(bootstrapServers,
                List.of(Topics.FINAL, Topics.FAMILY_REQUESTS, Topics.GAN_ATTRIBUTION_REQUESTS),
                Set.of(real, fake, rejected, silent))) {
            for (String imageId : List.of(real, fake, rejected, silent)) {
                pipeline.send(Topics.RECEIVED, imageId, submittedNow(imageId));
            }
            for (String imageId : List.of(real, fake)) {
                pipeline.send(Topics.EMBEDDED, imageId, Records.embedding(imageId));
            }
            pipeline.send(Topics.DETECTION_VERDICTS, real, Records.verdict(real, Stage.DETECTION, "REAL", 0.1));
            pipeline.send(Topics.DETECTION_VERDICTS, fake, Records.verdict(fake, Stage.DETECTION, "FAKE", 0.9));
            pipeline.send(Topics.REJECTED, rejected,
                    Records.rejection(rejected, Stage.EMBEDDING, RejectReason.CORRUPT, "truncated png"));

            awaitReceived(pipeline, Topics.FAMILY_REQUESTS.name(), fake);
            pipeline.send(Topics.FAMILY_VERDICTS, fake, Records.verdict(fake, Stage.FAMILY, "gan", 0.8));
            awaitReceived(pipeline, Topics.GAN_ATTRIBUTION_REQUESTS.name(), fake);
            StageRequest attribution = (StageRequest) received.stream()
                    .filter(r -> r.topic().equals(Topics.GAN_ATTRIBUTION_REQUESTS.name())).findFirst().orElseThrow()
                    .value();
            assertThat(attribution.getOriginal()).as("where the pixels are").isEqualTo(Records.ORIGINAL);
            assertThat(attribution.getImage()).as("never the bytes").isNull();

            await().atMost(DEADLINE).until(() -> given().get("/verdicts/" + silent).statusCode() == 200);
            given().get("/verdicts/" + silent).then()
                    .body("status", is("PENDING"))
                    .body("waitingFor", is("EMBEDDING"));

            pipeline.send(Topics.ATTRIBUTION_VERDICTS, fake,
                    Records.verdict(fake, Stage.ATTRIBUTION, "stylegan2", 0.7));
            await().atMost(DEADLINE).until(() -> receive(pipeline).size() == 4);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> receive(pipeline).size() == 4);
        }

        Map<String, FinalVerdict> finals = finals();
        assertThat(finals.get(real).getAuthenticity()).isEqualTo(Authenticity.REAL);
        assertThat(finals.get(fake).getGenerator()).isEqualTo("stylegan2");
        assertThat(finals.get(rejected).getStatus()).isEqualTo(FinalStatus.REJECTED);
        assertThat(finals.get(silent).getStatus()).isEqualTo(FinalStatus.TIMED_OUT);
        assertThat(finals.get(silent).getWaitingFor()).isEqualTo(Stage.EMBEDDING);

        given().get("/verdicts/" + fake).then().statusCode(200)
                .header("X-Aidetect-Served-By", "localhost:18083")
                .body("status", is("DECIDED"))
                .body("authenticity", is("FAKE"))
                .body("family", is("gan"))
                .body("generator", is("stylegan2"))
                .body("path", hasSize(3))
                .body("path[2].model", is("attribution-head:1"));
        given().get("/verdicts/" + run + "-never-sent").then().statusCode(404)
                .body("message", containsString("no case for image"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("aidetect_router_finals_total{authenticity=\"FAKE\",family=\"gan\","
                        + "generator=\"stylegan2\",reason=\"none\",rejected_by=\"none\",run=\"none\","
                        + "source=\"router-test\",status=\"DECIDED\",waiting_for=\"none\"}"))
                .body(containsString("reason=\"CORRUPT\",rejected_by=\"EMBEDDING\",run=\"none\","
                        + "source=\"router-test\",status=\"REJECTED\""))
                .body(containsString("status=\"TIMED_OUT\",waiting_for=\"EMBEDDING\"}"))
                .body(containsString("aidetect_router_latency_seconds_bucket{status=\"DECIDED\",le="))
                .body(containsString("aidetect_router_stage_latency_seconds_bucket{stage=\"ATTRIBUTION\",le="))
                .body(containsString("aidetect_router_cases_opened_total"))
                .body(containsString("aidetect_router_cases_open"))
                .body(containsString("aidetect_router_cases_closed"));
    }

    private static ImageReceived submittedNow(String imageId) {
        ImageReceived submission = Records.submission(imageId);
        submission.setSubmittedAt(Instant.now());
        return submission;
    }

    private void awaitReceived(PipelineClient pipeline, String topic, String imageId) {
        await().atMost(DEADLINE).until(() -> {
            received.addAll(pipeline.poll());
            return received.stream().anyMatch(r -> r.topic().equals(topic) && r.imageId().equals(imageId));
        });
    }

    /** Polls what the router published, then answers {@link #finals()}. */
    private Map<String, FinalVerdict> receive(PipelineClient pipeline) {
        received.addAll(pipeline.poll());
        return finals();
    }

    /** Final verdicts received so far by image id; fails on a second final for one image. */
    private Map<String, FinalVerdict> finals() {
        List<FinalVerdict> finals = received.stream()
                .filter(r -> r.topic().equals(Topics.FINAL.name()))
                .map(r -> (FinalVerdict) r.value())
                .toList();
        assertThat(finals).extracting(FinalVerdict::getImageId).doesNotHaveDuplicates();
        return finals.stream().collect(Collectors.toMap(FinalVerdict::getImageId, v -> v));
    }
}
