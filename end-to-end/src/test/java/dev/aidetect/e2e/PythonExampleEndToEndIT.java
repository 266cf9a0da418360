package dev.aidetect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.ImageSubmissions;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Rejection;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageVerdict;
import dev.aidetect.schemas.Topics;
import dev.aidetect.testing.Prerequisites;
import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.samples.BrokenSample;
import dev.aidetect.tools.submit.Submitter;

/**
 * The wire contract for other languages ({@code schemas/README.md}) proven from Python: the example uploader
 * ({@code schemas/examples/python/submit_and_wait.py}, Debian's python3-confluent-kafka and python3-avro, its own
 * fingerprints) submits images inline and by uri to the packaged pipeline on a real broker and reads their final
 * verdicts. Each image gets exactly one final verdict (counted read_committed by the Java side too), Java decodes every
 * submission Python wrote, and Python reads every verdict exactly as Java does.
 */
@ExtendWith(RunningPipeline.Provider.class)
class PythonExampleEndToEndIT {
    private static final Path ROOT = Path.of(System.getProperty("aidetect.project.root", "..")).toAbsolutePath();
    private static final Path EXAMPLE = ROOT.resolve("schemas/examples/python/submit_and_wait.py");
    private static final String SOURCE = "python-example-e2e";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void imagesSubmittedFromPythonInlineAndByUriEndInOneFinalVerdictEachThatPythonReadsAsJavaDoes(
            RunningPipeline pipeline) throws Exception {
        Prerequisites.require(DebianPython.canImport("confluent_kafka", "avro"),
                "a /usr/bin/python3 with librdkafka's client and Avro (Debian's python3-confluent-kafka and "
                        + "python3-avro)",
                "apt-get install python3-confluent-kafka python3-avro");
        // given two real and two fake samples sent inline, one of each by uri from a store on loopback, and a file
        // that is not an image
        List<LabelledImage> real = samples(pipeline, Authenticity.REAL);
        List<LabelledImage> fake = samples(pipeline, Authenticity.FAKE);
        Map<String, byte[]> inline = new LinkedHashMap<>();
        for (LabelledImage image : List.of(real.get(0), real.get(1), fake.get(0), fake.get(1))) {
            inline.put(image.file().toString(), Files.readAllBytes(image.file()));
        }
        Path broken = pipeline.samples().resolve("broken").resolve(BrokenSample.HTML_AS_JPEG.fileName());
        inline.put(broken.toString(), Files.readAllBytes(broken));
        Map<String, byte[]> served = new ConcurrentHashMap<>();
        HttpServer store = imageStore(served);
        List<String> byUri = new ArrayList<>();
        for (LabelledImage image : List.of(real.get(2), fake.get(2))) {
            String name = image.file().getFileName().toString();
            served.put(name, Files.readAllBytes(image.file()));
            byUri.add("http://" + RunningPipeline.IMAGE_HOST + ":" + store.getAddress().getPort() + "/images/" + name);
        }
        String run = ImageSubmissions.newImageId("python-example");

        try (Submitter java = new Submitter(pipeline.stack().bootstrapServers(), "python-example-e2e-reader")) {
            // when the example submits them and waits for their final verdicts
            Instant before = Instant.now();
            List<JsonNode> events = runExample(pipeline, run, inline.keySet(), byUri);
            Instant after = Instant.now();
            System.out.printf("  python example: %d images submitted and every final verdict read in %.1f s%n",
                    inline.size() + byUri.size(), Duration.between(before, after).toMillis() / 1000.0);

            // then every input was submitted once and has exactly one final verdict, for Python and for Java
            Map<String, JsonNode> submitted = byImageId(events, "submitted");
            assertThat(submitted.values()).extracting(event -> event.get("input").asText())
                    .containsExactlyInAnyOrderElementsOf(concat(inline.keySet(), byUri));
            List<String> ids = List.copyOf(submitted.keySet());
            Map<String, List<FinalVerdict>> finals = java.await(ids, Duration.ofMinutes(1), Duration.ofSeconds(5),
                    v -> {
                    });
            FinalVerdicts.assertExactlyOneEach(ids, finals);
            Map<String, JsonNode> pythonFinals = byImageId(events, "verdict");
            assertThat(pythonFinals.keySet()).as("images with a final verdict read by Python")
                    .containsExactlyInAnyOrderElementsOf(ids);

            // and Python decoded each verdict as Java does, field for field
            for (String id : ids) {
                FinalVerdict verdict = finals.get(id).getFirst();
                JsonNode python = pythonFinals.get(id);
                assertThat(fieldsOf(python)).as("%s as Python read it", id).isEqualTo(asJson(verdict));
                String input = submitted.get(id).get("input").asText();
                if (input.equals(broken.toString())) {
                    assertThat(verdict.getStatus()).as(input).isEqualTo(FinalStatus.REJECTED);
                    assertThat(verdict.getRejection().getReason()).as(input).isEqualTo(RejectReason.NOT_AN_IMAGE);
                    assertThat(verdict.getRejection().getRetryable()).as(input).isFalse();
                } else {
                    assertThat(verdict.getStatus()).as("%s: %s", input, verdict).isEqualTo(FinalStatus.DECIDED);
                    assertThat(verdict.getPath()).as(input).extracting(StageVerdict::getStage)
                            .contains(Stage.DETECTION);
                }
                assertThat(verdict.getSource()).as(id).isEqualTo(SOURCE);
                assertThat(verdict.getAttributes()).as(id).containsEntry("run", run);
            }

            // and Java decodes every submission Python wrote, header and all
            Map<String, ConsumerRecord<String, byte[]>> written = readBack(pipeline, submitted);
            for (String id : ids) {
                ConsumerRecord<String, byte[]> record = written.get(id);
                assertThat(record.key()).as("key of %s", id).isEqualTo(id);
                ImageSubmitted submission = Topics.INGEST.valueSerde().deserializer()
                        .deserialize(record.topic(), record.value());
                byte[] javaWrites = Topics.INGEST.valueSerde().serializer().serialize(record.topic(), submission);
                assertThat(header(record.value())).as("C3 01 and the fingerprint Python wrote for %s", id)
                        .isEqualTo(header(javaWrites));
                String input = submitted.get(id).get("input").asText();
                assertThat(submission.getImageId()).isEqualTo(id);
                assertThat(submission.getSource()).isEqualTo(SOURCE);
                assertThat(submission.getSubmittedAt()).isBetween(before.minusSeconds(1), after);
                assertThat(submission.getAttributes()).containsEntry("run", run);
                if (inline.containsKey(input)) {
                    assertThat(bytes(submission.getImage().getContent())).as(input).isEqualTo(inline.get(input));
                    assertThat(submission.getImage().getUri()).as(input).isNull();
                    assertThat(submission.getAttributes()).containsEntry("file", Path.of(input).getFileName()
                            .toString());
                } else {
                    assertThat(submission.getImage().getUri()).as(input).isEqualTo(input);
                    assertThat(submission.getImage().getContent()).as(input).isNull();
                }
                assertThat(submission.getLabel()).as("left out, so its default").isNull();
            }
        } finally {
            store.stop(0);
        }
    }

    /** Runs the example with {@code --json}; answers its events, after checking it exited 0. */
    private static List<JsonNode> runExample(RunningPipeline pipeline, String run, Iterable<String> files,
            List<String> uris) throws Exception {
        List<String> command = new ArrayList<>(List.of(DebianPython.EXECUTABLE, EXAMPLE.toString(),
                "--bootstrap-servers", pipeline.stack().bootstrapServers(), "--source", SOURCE, "--attribute",
                "run=" + run, "--timeout", "150", "--json"));
        command.addAll(concat(files, uris));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("the Python example finished").isTrue();
        assertThat(process.exitValue()).as("the Python example's exit status (its stderr is above); stdout:%n%s", out)
                .isZero();
        List<JsonNode> events = new ArrayList<>();
        for (String line : out.lines().toList()) {
            events.add(JSON.readTree(line));
        }
        return events;
    }

    /** The events of one kind by image id; fails on a second event of that kind for one id. */
    private static Map<String, JsonNode> byImageId(List<JsonNode> events, String kind) {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        events.stream().filter(event -> event.get("event").asText().equals(kind)).forEach(event -> {
            JsonNode earlier = byId.put(event.get("imageId").asText(), event);
            assertThat(earlier).as("a second '%s' event for %s", kind, event.get("imageId")).isNull();
        });
        return byId;
    }

    /** The verdict's fields as the example prints them: the record's, without the example's own. */
    private static JsonNode fieldsOf(JsonNode event) {
        ObjectNode fields = event.deepCopy();
        fields.remove(List.of("event", "input"));
        return fields;
    }

    /** The final verdict as the example prints one (timestamps in epoch milliseconds, enums by name). */
    private static JsonNode asJson(FinalVerdict verdict) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("imageId", verdict.getImageId());
        json.put("status", verdict.getStatus().name());
        json.put("authenticity", verdict.getAuthenticity().name());
        json.put("score", verdict.getScore());
        json.put("family", verdict.getFamily());
        json.put("generator", verdict.getGenerator());
        json.put("path", verdict.getPath().stream().map(PythonExampleEndToEndIT::asMap).toList());
        Rejection rejection = verdict.getRejection();
        json.put("rejection", rejection == null
                ? null
                : Map.of("stage", rejection.getStage().name(), "reason",
                        rejection.getReason().name(), "message", rejection.getMessage(), "retryable",
                        rejection.getRetryable()));
        json.put("waitingFor", verdict.getWaitingFor() == null ? null : verdict.getWaitingFor().name());
        json.put("submittedAt", verdict.getSubmittedAt().toEpochMilli());
        json.put("finalizedAt", verdict.getFinalizedAt().toEpochMilli());
        json.put("latencyMillis", verdict.getLatencyMillis());
        json.put("source", verdict.getSource());
        json.put("attributes", verdict.getAttributes());
        ImageLabel label = verdict.getLabel();
        Map<String, Object> labelJson = new LinkedHashMap<>();
        if (label != null) {
            labelJson.put("authenticity", label.getAuthenticity().name());
            labelJson.put("family", label.getFamily());
            labelJson.put("generator", label.getGenerator());
            labelJson.put("dataset", label.getDataset());
        }
        json.put("label", label == null ? null : labelJson);
        json.put("encodedBy", verdict.getEncodedBy() == null
                ? null
                : Map.of("id", verdict.getEncodedBy().getId(), "version", verdict.getEncodedBy().getVersion()));
        // Through text, as the example's output is read, so that numbers compare as numbers.
        return JSON.readTree(JSON.writeValueAsString(json));
    }

    private static Map<String, Object> asMap(StageVerdict stage) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("imageId", stage.getImageId());
        json.put("stage", stage.getStage().name());
        json.put("decision", stage.getDecision());
        json.put("score", stage.getScore());
        json.put("scores", stage.getScores());
        json.put("threshold", stage.getThreshold());
        json.put("model", Map.of("id", stage.getModel().getId(), "version", stage.getModel().getVersion()));
        json.put("decidedAt", stage.getDecidedAt().toEpochMilli());
        return json;
    }

    /** The images.ingest records the example reported writing, read back raw from where it said they are. */
    private static Map<String, ConsumerRecord<String, byte[]>> readBack(RunningPipeline pipeline,
            Map<String, JsonNode> submitted) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.stack().bootstrapServers());
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.INGEST_MAX_MESSAGE_BYTES);
        Map<String, ConsumerRecord<String, byte[]>> found = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            Map<TopicPartition, Long> earliest = new LinkedHashMap<>();
            Map<TopicPartition, Map<Long, String>> wanted = new LinkedHashMap<>();
            submitted.forEach((id, event) -> {
                TopicPartition partition = new TopicPartition(Topics.INGEST.name(), event.get("partition").asInt());
                long offset = event.get("offset").asLong();
                earliest.merge(partition, offset, Math::min);
                wanted.computeIfAbsent(partition, p -> new LinkedHashMap<>()).put(offset, id);
            });
            consumer.assign(earliest.keySet());
            earliest.forEach(consumer::seek);
            await("the submissions Python wrote, read back from " + Topics.INGEST.name())
                    .atMost(Duration.ofSeconds(30)).until(() -> {
                        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                            String id = wanted.get(new TopicPartition(record.topic(), record.partition()))
                                    .get(record.offset());
                            if (id != null) {
                                found.put(id, record);
                            }
                        }
                        return found.size() == submitted.size();
                    });
        }
        return found;
    }

    /** A plain-http image store on the address the pipeline may fetch from: {@code /images/<name>}. */
    private static HttpServer imageStore(Map<String, byte[]> images) throws IOException {
        HttpServer store = HttpServer.create(
                new InetSocketAddress(InetAddress.getByName(RunningPipeline.IMAGE_HOST), 0), 0);
        store.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        store.createContext("/images/", exchange -> {
            byte[] body = images.get(exchange.getRequestURI().getPath().substring("/images/".length()));
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (body != null) {
                    out.write(body);
                }
            }
        });
        store.start();
        return store;
    }

    /** Labelled samples of one authenticity, at least three. */
    private static List<LabelledImage> samples(RunningPipeline pipeline, Authenticity authenticity) {
        List<LabelledImage> samples = LabelledImage.collect(List.of(pipeline.samples())).stream()
                .filter(image -> !image.file().getParent().endsWith("broken") && image.label() != null
                        && image.label().getAuthenticity() == authenticity)
                .limit(3).toList();
        assertThat(samples).as("%s samples in %s", authenticity, pipeline.samples()).hasSize(3);
        return samples;
    }

    /** The single-object header: C3 01 and the writer schema's fingerprint, in hex. */
    private static String header(byte[] value) {
        return HexFormat.of().withUpperCase().formatHex(value, 0, 10);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static List<String> concat(Iterable<String> first, List<String> second) {
        List<String> all = new ArrayList<>();
        first.forEach(all::add);
        all.addAll(second);
        return all;
    }
}
