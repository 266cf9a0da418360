package dev.aidetect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.IntStream;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import dev.aidetect.kafka.KafkaEndpoint;
import dev.aidetect.schemas.ImageReceived;
import dev.aidetect.schemas.ImageRef;
import dev.aidetect.schemas.ModelRef;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageVerdict;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.AvroSerializer;
import dev.aidetect.tools.stack.LocalStack;
import dev.aidetect.tools.stack.StackService;

/**
 * Two packaged router processes with one application id share the partitions of a real broker (3 per topic), each
 * with its own HTTP port and state directory. {@code GET /verdicts/{id}} must answer alike on both, for finished and
 * open cases, wherever the case lives: a final verdict from the instance asked (each reads all of verdicts.final back),
 * an open case from the instance that owns it, to which the other forwards the request. The routers get a fresh
 * application id, so a pipeline running beside them on the same broker does not share their partitions.
 */
class VerdictQueriesAcrossRoutersIT {
    private static final Path ROOT = Path.of(System.getProperty("aidetect.project.root", "..")).toAbsolutePath();
    private static final int DECIDED = 60;
    /** Open cases per partition, so that each instance owns some of them whichever partitions it got. */
    private static final int OPEN_PER_PARTITION = 2;
    private static final int PARTITIONS = 3;
    private static final Duration DEADLINE = Duration.ofMinutes(2);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void everyVerdictIsAnsweredAlikeByBothInstancesWhicheverOwnsTheCase() throws Exception {
        Map<StackService, Map<String, String>> env = Map.of(StackService.ROUTER,
                Map.of("QUARKUS_KAFKA_STREAMS_APPLICATION_ID", "aidetect-router-iq-" + run,
                        "AIDETECT_ROUTER_STAGE_TIMEOUT", "10m"));
        try (LocalStack first = router("router-a", env); LocalStack second = router("router-b", env)) {
            // given two ready instances that have shared out the partitions
            List<Integer> ports = List.of(first.port(StackService.ROUTER), second.port(StackService.ROUTER));
            await().atMost(DEADLINE).until(() -> ports.stream().allMatch(VerdictQueriesAcrossRoutersIT::ready));

            // when cases are finished (detection REAL, then the submission's receipt, as the embedder publishes it)
            // and others left open (no receipt)
            List<String> decided = ids("decided", DECIDED);
            List<String> open = openIdsOnEveryPartition();
            try (KafkaProducer<String, SpecificRecord> producer = producer()) {
                for (String id : decided) {
                    producer.send(new ProducerRecord<>(Topics.DETECTION_VERDICTS.name(), id, real(id)));
                    producer.send(new ProducerRecord<>(Topics.RECEIVED.name(), id, receipt(id)));
                }
                open.forEach(id -> producer.send(new ProducerRecord<>(Topics.DETECTION_VERDICTS.name(), id, real(id))));
            }

            // then both instances answer every id with the same 200 body: finals themselves, open cases from the owner
            Map<Integer, Map<String, HttpResponse<String>>> answers = new HashMap<>();
            await().atMost(DEADLINE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                for (int port : ports) {
                    answers.put(port, askAll(port, decided, open));
                }
            });
            for (String id : decided) {
                assertThat(body(answers, ports.get(0), id)).as(id).isEqualTo(body(answers, ports.get(1), id))
                        .contains("\"status\":\"DECIDED\"", "\"authenticity\":\"REAL\"");
            }
            for (String id : open) {
                assertThat(body(answers, ports.get(0), id)).as(id).isEqualTo(body(answers, ports.get(1), id))
                        .contains("\"status\":\"PENDING\"", "\"waitingFor\":\"INGEST\"");
            }
            // (each instance owns at least one of the three partitions, and every partition holds open cases)
            List<String> owners = open.stream().map(id -> servedBy(answers.get(ports.get(0)).get(id))).toList();
            for (String id : open) {
                assertThat(servedBy(answers.get(ports.get(1)).get(id))).as("owner of open case %s", id)
                        .isEqualTo(servedBy(answers.get(ports.get(0)).get(id)));
            }
            assertThat(owners).as("instances that own the open cases, some forwarded to")
                    .containsOnly("localhost:" + ports.get(0), "localhost:" + ports.get(1))
                    .contains("localhost:" + ports.get(0), "localhost:" + ports.get(1));
        }
    }

    /**
     * Asks {@code port} for every id; fails (so Awaitility retries) until all answer 200, finished ones DECIDED from
     * {@code port} itself (once it has read their finals back from verdicts.final).
     */
    private static Map<String, HttpResponse<String>> askAll(int port, List<String> decided, List<String> open)
            throws IOException, InterruptedException {
        Map<String, HttpResponse<String>> answers = new HashMap<>();
        List<String> all = new ArrayList<>(decided);
        all.addAll(open);
        for (String id : all) {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/verdicts/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("GET :%d/verdicts/%s -> %s", port, id, answer.body()).isEqualTo(200);
            assertThat(answer.body()).as(id).contains(decided.contains(id) ? "DECIDED" : "PENDING");
            if (decided.contains(id)) {
                assertThat(servedBy(answer)).as("final of %s asked on :%d", id, port).isEqualTo("localhost:" + port);
            }
            answers.put(id, answer);
        }
        return answers;
    }

    private static String body(Map<Integer, Map<String, HttpResponse<String>>> answers, int port, String id) {
        return answers.get(port).get(id).body();
    }

    private static String servedBy(HttpResponse<String> answer) {
        return answer.headers().firstValue("X-Aidetect-Served-By").orElse("(no X-Aidetect-Served-By header)");
    }

    private LocalStack router(String name, Map<StackService, Map<String, String>> env) {
        Path work = ROOT.resolve("end-to-end/target/iq-" + run + "/" + name);
        return LocalStack.start(
                new LocalStack.Settings(ROOT, work, KafkaEndpoint.bootstrapServers(), 0, PARTITIONS, env),
                new PrintWriter(System.out, true), EnumSet.of(StackService.ROUTER));
    }

    /** Ids of open cases, {@link #OPEN_PER_PARTITION} on each partition as the producer's partitioner places them. */
    private List<String> openIdsOnEveryPartition() {
        List<String> open = new ArrayList<>();
        Map<Integer, Integer> perPartition = new HashMap<>();
        for (int i = 0; open.size() < PARTITIONS * OPEN_PER_PARTITION; i++) {
            String id = run + "-open-" + i;
            int partition = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
            if (perPartition.merge(partition, 1, Integer::sum) <= OPEN_PER_PARTITION) {
                open.add(id);
            }
        }
        return open;
    }

    private List<String> ids(String kind, int count) {
        return IntStream.range(0, count).mapToObj(i -> run + "-" + kind + "-" + i).toList();
    }

    private static boolean ready(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready"))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static KafkaProducer<String, SpecificRecord> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaEndpoint.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new AvroSerializer());
    }

    private static StageVerdict real(String imageId) {
        return StageVerdict.newBuilder().setImageId(imageId).setStage(Stage.DETECTION).setDecision("REAL")
                .setScore(0.1).setScores(Map.of("REAL", 0.9)).setThreshold(0.5)
                .setModel(new ModelRef("iq-test-head", "1")).setDecidedAt(Instant.now()).build();
    }

    /** A submission as the router reads it: the embedder's receipt, pointing at a uri that is never fetched. */
    private static ImageReceived receipt(String imageId) {
        return ImageReceived.newBuilder().setImageId(imageId).setSubmittedAt(Instant.now())
                .setReceivedAt(Instant.now()).setSource("iq-test").setAttributes(Map.of("run", imageId))
                .setOriginal(ImageRef.newBuilder().setUri("https://images.example.com/" + imageId + ".jpg").build())
                .build();
    }
}
