package dev.aidetect.router;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.aidetect.kafka.KafkaBrokerTestResource;
import dev.aidetect.router.messaging.CommittedFinals;
import dev.aidetect.router.streams.Records;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageReceived;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.AvroSerializer;

/**
 * {@code GET /verdicts/stream} on a real broker: a client connected to the stream receives each final verdict the
 * router commits, as a JSON server-sent event, and never one from a transaction that was aborted; a client that
 * reconnects with the id of the last event it got receives what it missed, once; filters keep what a client wants.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class FinalVerdictStreamIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @TestHTTPResource("/verdicts/stream")
    URI streamUri;

    @Inject
    CommittedFinals finals;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();

    @Test
    void streamsEveryCommittedFinalVerdictAndNoneOfAnAbortedTransaction() throws Exception {
        // given a client connected to the stream
        await().atMost(DEADLINE).until(() -> given().get("/q/health/ready").statusCode() == 200 && finals.assigned());
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(streamUri).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        Thread.ofVirtual().start(() -> response.body().filter(line -> line.startsWith("data:"))
                .forEach(line -> events.add(parse(line.substring("data:".length())))));

        // when a final verdict is written in an aborted transaction, and a REAL case runs through the router
        String aborted = run + "-aborted";
        String real = run + "-real";
        writeFinalAndAbort(aborted);
        try (PipelineClient pipeline = new PipelineClient(bootstrapServers, List.of(Topics.FINAL), Set.of(real))) {
            pipeline.send(Topics.RECEIVED, real, Records.submission(real));
            pipeline.send(Topics.EMBEDDED, real, Records.embedding(real));
            pipeline.send(Topics.DETECTION_VERDICTS, real, Records.verdict(real, Stage.DETECTION, "REAL", 0.1));

            // then the router's committed final arrives on the stream, once; the aborted one never does
            await().atMost(DEADLINE).until(() -> streamed(real).size() == 1);
        }
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> streamed(real).size() == 1);
        JsonNode event = streamed(real).getFirst();
        assertThat(event.get("status").asText()).isEqualTo("DECIDED");
        assertThat(event.get("authenticity").asText()).isEqualTo("REAL");
        assertThat(event.get("path").get(0).get("stage").asText()).isEqualTo("DETECTION");
        assertThat(streamed(aborted)).isEmpty();
    }

    @Test
    void clientResumingWithLastEventIdGetsWhatItMissedOnceAndOnlyWhatItsFiltersWant() throws Exception {
        await().atMost(DEADLINE).until(() -> given().get("/q/health/ready").statusCode() == 200 && finals.assigned());
        String source = "stream-" + run;
        String a = run + "-a";
        String b = run + "-b";
        String c = run + "-c";
        String elsewhere = run + "-elsewhere";
        try (PipelineClient pipeline = new PipelineClient(bootstrapServers, List.of(Topics.FINAL), Set.of())) {
            // given a client of this source's verdicts that got one event, then lost its connection
            SseClient first = SseClient.open(URI.create(streamUri + "?source=" + source), null);
            decide(pipeline, a, source, 0.1);
            decide(pipeline, b, source, 0.52);
            await().atMost(DEADLINE).until(() -> first.verdicts().size() == 2);
            SseClient.Event seen = first.events().getFirst();
            first.close();

            // when more verdicts are committed meanwhile, of this source and another
            decide(pipeline, c, source, 0.1);
            decide(pipeline, elsewhere, "another-" + run, 0.1);
            await().atMost(DEADLINE).until(() -> given().get("/verdicts/" + elsewhere).statusCode() == 200
                    && given().get("/verdicts/" + c).statusCode() == 200);

            // then reconnecting with the id of the last event it got brings exactly the others of its source, once
            SseClient resumed = SseClient.open(URI.create(streamUri + "?source=" + source), seen.id());
            await().atMost(DEADLINE).until(() -> resumed.verdicts().size() == 2);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> resumed.verdicts().size() == 2);
            List<String> expected = new java.util.ArrayList<>(List.of(a, b, c));
            expected.remove(seen.data().get("imageId").asText());
            assertThat(resumed.verdicts()).extracting(e -> e.get("imageId").asText())
                    .containsExactlyInAnyOrderElementsOf(expected);
            resumed.close();

            // and a client filtering on the run and on UNCERTAIN (b's score 0.52 is within the band) gets only b
            SseClient uncertain = SseClient.open(URI.create(streamUri + "?run=" + run + "&authenticity=UNCERTAIN"
                    + "&lastEventId=" + java.net.URLEncoder.encode(seen.id(), java.nio.charset.StandardCharsets.UTF_8)),
                    null);
            String expectedUncertain = seen.data().get("imageId").asText().equals(b) ? null : b;
            await().during(Duration.ofSeconds(2)).atMost(DEADLINE)
                    .until(() -> uncertain.verdicts().size() == (expectedUncertain == null ? 0 : 1));
            if (expectedUncertain != null) {
                assertThat(uncertain.verdicts().getFirst().get("imageId").asText()).isEqualTo(b);
                assertThat(uncertain.verdicts().getFirst().get("authenticity").asText()).isEqualTo("UNCERTAIN");
            }
            uncertain.close();
        }
        given().header("Last-Event-ID", "yesterday").get("/verdicts/stream").then().statusCode(400)
                .body(org.hamcrest.Matchers.containsString("partition:offset"));
        given().get("/verdicts/stream?authenticity=MAYBE").then().statusCode(400)
                .body(org.hamcrest.Matchers.containsString("UNCERTAIN"));
    }

    /** Runs an image through the router to its final: submission (of {@code source}, run attribute), detection. */
    private void decide(PipelineClient pipeline, String imageId, String source, double fakeScore) {
        ImageReceived submission = Records.submission(imageId);
        submission.setSource(source);
        submission.setAttributes(Map.of("run", run));
        pipeline.send(Topics.RECEIVED, imageId, submission);
        pipeline.send(Topics.DETECTION_VERDICTS, imageId, Records.verdict(imageId, Stage.DETECTION,
                fakeScore < 0.5 ? "REAL" : "FAKE", fakeScore));
    }

    private List<JsonNode> streamed(String imageId) {
        return events.stream().filter(e -> e.get("imageId").asText().equals(imageId)).toList();
    }

    private void writeFinalAndAbort(String imageId) {
        FinalVerdict verdict = FinalVerdict.newBuilder().setImageId(imageId).setStatus(FinalStatus.DECIDED)
                .setFinalizedAt(Instant.now()).build();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers, ProducerConfig.TRANSACTIONAL_ID_CONFIG, "stream-test-" + run), new StringSerializer(),
                new AvroSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(Topics.FINAL.name(), imageId, verdict));
            producer.flush();
            producer.abortTransaction();
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stream sent an event that is not JSON: " + json, e);
        }
    }
}
