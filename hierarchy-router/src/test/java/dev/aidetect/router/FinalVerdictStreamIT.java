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
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.AvroSerializer;

/**
 * {@code GET /verdicts/stream} on a real broker: a client connected to the stream receives each final verdict the
 * router commits, as a JSON server-sent event, and never one from a transaction that was aborted.
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
