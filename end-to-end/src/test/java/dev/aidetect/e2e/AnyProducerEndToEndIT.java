package dev.aidetect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageSubmissions;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageVerdict;
import dev.aidetect.schemas.Topics;
import dev.aidetect.testing.Prerequisites;
import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.stack.LocalStack;
import dev.aidetect.tools.submit.Submitter;

/**
 * Uploaders write {@code images.ingest} with whatever client they have: librdkafka (Python, Go, Node, C) hashes keys
 * with CRC32 where the Java client uses murmur2, and many send no key at all, so a submission lands on any partition,
 * usually another than the one its embedding, verdicts and final verdict get. On the whole pipeline (the packaged
 * services on a real broker) every such submission must still end in exactly one final verdict, never TIMED_OUT, with
 * its whole case (receipt, embedding and detection met in one router task); a record keyed by another id than the one
 * in its value ends REJECTED BAD_RECORD, once.
 */
@ExtendWith(RunningPipeline.Provider.class)
class AnyProducerEndToEndIT {
    private static final String SOURCE = "any-producer-e2e";
    private static final Duration VERDICTS_WITHIN = Duration.ofMinutes(4);
    private static final Duration DUPLICATES_WITHIN = Duration.ofSeconds(5);
    private static final Path PRODUCER_SCRIPT = Path.of("src/test/python/produce_with_librdkafka.py");

    private static LocalStack stack;
    private static List<LabelledImage> images;

    @BeforeAll
    static void usePipeline(RunningPipeline pipeline) {
        stack = pipeline.stack();
        images = LabelledImage.collect(List.of(pipeline.samples())).stream()
                .filter(image -> !image.file().getParent().endsWith("broken"))
                .toList();
    }

    @TempDir
    Path dir;

    @Test
    void submissionsPartitionedAsLibrdkafkaDoesWithAndWithoutKeysEndInExactlyOneFinalVerdictEach() {
        // given 48 submissions, every other one keyed by its image id and the rest with no key
        List<Outgoing> outgoing = outgoing("java-crc32", 48);

        Map<String, List<FinalVerdict>> verdicts;
        try (Submitter submitter = new Submitter(stack.bootstrapServers(), SOURCE);
                KafkaProducer<String, byte[]> producer = librdkafkaLikeProducer()) {
            // when they are produced with librdkafka's default partitioner
            int partitions = producer.partitionsFor(Topics.INGEST.name()).size();
            Map<String, Integer> landedOn = new HashMap<>();
            for (Outgoing o : outgoing) {
                landedOn.put(o.imageId(), send(producer, o.key(), o.value()));
            }
            assertSomeKeyedLandElsewhereThanTheJavaClientPutsThem(outgoing, landedOn, partitions);
            verdicts = submitter.await(ids(outgoing), VERDICTS_WITHIN, DUPLICATES_WITHIN, v -> {
            });
        }

        // then
        assertEachEndedOnceWithItsWholeCase(ids(outgoing), verdicts);
    }

    @Test
    void aSubmissionKeyedByAnotherIdThanItsOwnEndsRejectedBadRecordOnceWithWhatItsUploaderSent() {
        // given a submission of one image id produced under another key
        Outgoing submission = outgoing("wrong-key", 1).getFirst();
        String otherKey = submission.imageId() + "-other";

        Map<String, List<FinalVerdict>> verdicts;
        try (Submitter submitter = new Submitter(stack.bootstrapServers(), SOURCE);
                KafkaProducer<String, byte[]> producer = librdkafkaLikeProducer()) {
            send(producer, otherKey, submission.value());
            // Waits the whole time (the key must get no final), so not long: the rejection needs no embedding.
            verdicts = submitter.await(List.of(submission.imageId(), otherKey), Duration.ofSeconds(30),
                    DUPLICATES_WITHIN, v -> {
                    });
        }

        // then the image id in the value gets exactly one final, a BAD_RECORD rejection; the key gets none
        assertThat(verdicts.get(otherKey)).as("finals under the record's key").isEmpty();
        FinalVerdicts.assertExactlyOneEach(List.of(submission.imageId()), verdicts);
        FinalVerdict verdict = verdicts.get(submission.imageId()).getFirst();
        assertThat(verdict.getStatus()).isEqualTo(FinalStatus.REJECTED);
        assertThat(verdict.getRejection().getReason()).isEqualTo(RejectReason.BAD_RECORD);
        assertThat(verdict.getRejection().getMessage()).contains("key '" + otherKey + "'",
                "imageId '" + submission.imageId() + "'", "send no key");
        assertThat(verdict.getSource()).as("the receipt's source").isEqualTo(SOURCE);
        assertThat(verdict.getLabel()).isNotNull();
    }

    @Test
    void submissionsFromPythonsConfluentKafkaEndInExactlyOneFinalVerdictEach() throws Exception {
        Prerequisites.require(DebianPython.canImport("confluent_kafka"),
                "a /usr/bin/python3 with librdkafka's client (Debian's python3-confluent-kafka)",
                "apt-get install python3-confluent-kafka");
        // given 24 submissions as a Python uploader sends them, every other one keyed
        List<Outgoing> outgoing = outgoing("python-librdkafka", 24);
        Path manifest = manifest(outgoing);

        Map<String, List<FinalVerdict>> verdicts;
        try (Submitter submitter = new Submitter(stack.bootstrapServers(), SOURCE)) {
            // when confluent-kafka (the real librdkafka, its default partitioner) produces them
            Map<Integer, Integer> landedOn = runPythonProducer(manifest);
            int partitions = partitionCount();
            Map<String, Integer> byId = new HashMap<>();
            for (int i = 0; i < outgoing.size(); i++) {
                Outgoing o = outgoing.get(i);
                assertThat(landedOn).as("partition of record %d", i).containsKey(i);
                byId.put(o.imageId(), landedOn.get(i));
                if (o.key() != null) {
                    assertThat(landedOn.get(i)).as("librdkafka put key %s where LibrdkafkaPartitioner says", o.key())
                            .isEqualTo(LibrdkafkaPartitioner.partitionOf(bytes(o.key()), partitions));
                }
            }
            assertSomeKeyedLandElsewhereThanTheJavaClientPutsThem(outgoing, byId, partitions);
            verdicts = submitter.await(ids(outgoing), VERDICTS_WITHIN, DUPLICATES_WITHIN, v -> {
            });
        }

        // then
        assertEachEndedOnceWithItsWholeCase(ids(outgoing), verdicts);
    }

    /** One submission to send: its image id, the record's key ({@code null}: none) and the encoded value. */
    private record Outgoing(String imageId, String key, byte[] value) {
    }

    /** {@code count} labelled images as submissions named after {@code run}; every other one keyed by its id. */
    private static List<Outgoing> outgoing(String run, int count) {
        assertThat(images).hasSizeGreaterThanOrEqualTo(count);
        List<Outgoing> outgoing = new ArrayList<>();
        int step = images.size() / count;
        for (int i = 0; i < count; i++) {
            LabelledImage image = images.get(i * step);
            boolean keyed = i % 2 == 0;
            String id = ImageSubmissions.newImageId(run + (keyed ? "-keyed-" : "-unkeyed-") + i);
            ImageSubmitted submission = ImageSubmitted.newBuilder()
                    .setImageId(id)
                    .setSubmittedAt(Instant.now())
                    .setSource(SOURCE)
                    .setImage(ImageContent.newBuilder().setContent(ByteBuffer.wrap(read(image.file()))).build())
                    .setLabel(image.label())
                    .setAttributes(Map.of("file", image.file().getFileName().toString()))
                    .build();
            outgoing.add(new Outgoing(id, keyed ? id : null,
                    Topics.INGEST.valueSerde().serializer().serialize(Topics.INGEST.name(), submission)));
        }
        return outgoing;
    }

    /**
     * Without this the test proves little: a keyed submission on the Java client's partition would have met its case
     * even when the router read images.ingest itself.
     */
    private static void assertSomeKeyedLandElsewhereThanTheJavaClientPutsThem(List<Outgoing> outgoing,
            Map<String, Integer> landedOn, int partitions) {
        List<String> elsewhere = outgoing.stream()
                .filter(o -> o.key() != null
                        && landedOn.get(o.imageId()) != LibrdkafkaPartitioner.javaClientPartitionOf(bytes(o.key()),
                                partitions))
                .map(Outgoing::imageId)
                .toList();
        assertThat(elsewhere).as("keyed submissions on another partition than the Java client's").isNotEmpty();
    }

    /**
     * The invariant, and that each case was whole: never TIMED_OUT (a case split over two router tasks waits for what
     * the other task got), the detection on its path (receipt, embedding and detection met) and what the uploader
     * sent on it.
     */
    private static void assertEachEndedOnceWithItsWholeCase(List<String> ids,
            Map<String, List<FinalVerdict>> verdicts) {
        FinalVerdicts.assertExactlyOneEach(ids, verdicts);
        Map<String, Stage> timedOut = new TreeMap<>();
        ids.forEach(id -> {
            FinalVerdict verdict = verdicts.get(id).getFirst();
            if (verdict.getStatus() == FinalStatus.TIMED_OUT) {
                timedOut.put(id, verdict.getWaitingFor());
            }
        });
        assertThat(timedOut).as("timed out, waiting for").isEmpty();
        for (String id : ids) {
            FinalVerdict verdict = verdicts.get(id).getFirst();
            assertThat(verdict.getPath()).as(id).extracting(StageVerdict::getStage).contains(Stage.DETECTION);
            assertThat(verdict.getSource()).as(id).isEqualTo(SOURCE);
            assertThat(verdict.getLabel()).as(id).isNotNull();
            assertThat(verdict.getLatencyMillis()).as(id + ": its submission was seen").isGreaterThanOrEqualTo(0);
        }
    }

    private static KafkaProducer<String, byte[]> librdkafkaLikeProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, LibrdkafkaPartitioner.class.getName());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.INGEST_MAX_MESSAGE_BYTES);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static int send(KafkaProducer<String, byte[]> producer, String key, byte[] value) {
        try {
            return producer.send(new ProducerRecord<>(Topics.INGEST.name(), key, value)).get().partition();
        } catch (Exception e) {
            throw new IllegalStateException("the broker did not take a submission: " + e, e);
        }
    }

    private static int partitionCount() {
        try (KafkaProducer<String, byte[]> producer = librdkafkaLikeProducer()) {
            return producer.partitionsFor(Topics.INGEST.name()).size();
        }
    }

    /** Writes each value to a file and the manifest the Python producer reads ({@code KEY<TAB>FILE}, "-": no key). */
    private Path manifest(List<Outgoing> outgoing) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < outgoing.size(); i++) {
            Path value = Files.write(dir.resolve(i + ".avro"), outgoing.get(i).value());
            String key = outgoing.get(i).key();
            lines.append(key == null ? "-" : key).append('\t').append(value.toAbsolutePath()).append('\n');
        }
        return Files.writeString(dir.resolve("manifest.tsv"), lines);
    }

    /** Runs the Python producer; answers the partition each record (by its manifest index) landed on. */
    private static Map<Integer, Integer> runPythonProducer(Path manifest) throws Exception {
        Process process = new ProcessBuilder(DebianPython.EXECUTABLE, PRODUCER_SCRIPT.toString(),
                stack.bootstrapServers(),
                Topics.INGEST.name(), manifest.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the Python producer finished").isTrue();
        assertThat(process.exitValue()).as("the Python producer's exit status (its stderr is above)").isZero();
        Map<Integer, Integer> partitions = new LinkedHashMap<>();
        out.lines().map(line -> line.split(" "))
                .forEach(parts -> partitions.put(Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
        return partitions;
    }

    private static List<String> ids(List<Outgoing> outgoing) {
        return outgoing.stream().map(Outgoing::imageId).toList();
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
