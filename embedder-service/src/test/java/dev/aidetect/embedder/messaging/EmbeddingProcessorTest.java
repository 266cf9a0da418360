package dev.aidetect.embedder.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;

import dev.aidetect.embedder.inference.EngineHolder;
import dev.aidetect.embedding.EmbeddingResults;
import dev.aidetect.embedding.ResultSink;
import dev.aidetect.embedding.Submission;
import dev.aidetect.embedding.TestSubmissions;
import dev.aidetect.imaging.decode.TurboJpegLibrary;
import dev.aidetect.kafka.KafkaBrokerTestResource;
import dev.aidetect.kafka.TopicTail;
import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageReceived;
import dev.aidetect.schemas.ImageRef;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.DeadLetter;

/** The consumer bean with in-memory channels: each poll's records end as embeddings or rejections. */
@QuarkusTest
@TestProfile(EmbeddingProcessorTest.InMemoryChannels.class)
class EmbeddingProcessorTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration MAX_WAIT = Duration.ofSeconds(2);

    /** Channels in memory; the broker is still there because start-up creates the pipeline topics. */
    public static class InMemoryChannels implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(InMemoryChannelConfig.all());
            // Long enough that polls sent together always share a pass, however loaded the machine.
            config.put("aidetect.embedder.max-wait", MAX_WAIT.toMillis() + "ms");
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KafkaBrokerTestResource.class));
        }
    }

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    EngineHolder holder;

    private InMemorySink<Record<String, ImageReceived>> received;
    private InMemorySink<Record<String, ImageEmbedding>> embedded;
    private InMemorySink<Record<String, ImageRejected>> rejected;
    private long offset;

    @BeforeEach
    void clearSinks() {
        received = connector.sink(Channels.RECEIVED);
        embedded = connector.sink(Channels.EMBEDDED);
        rejected = connector.sink(Channels.REJECTED);
        received.clear();
        embedded.clear();
        rejected.clear();
    }

    @Test
    void embedsGoodImageWithEncoderDimensionsAndIdAndPassesLabelThrough() {
        ImageSubmitted submission = TestSubmissions.inline("good-1", TestSubmissions.jpeg(320, 240));
        submission.setLabel(TestSubmissions.FAKE_LABEL);

        poll(record("good-1", TestSubmissions.encode(submission)));

        ImageEmbedding embedding = awaitOne(embedded).value();
        assertThat(embedding.getImageId()).isEqualTo("good-1");
        assertThat(embedding.getEncodedBy().getId()).isEqualTo("tiny-clip-vit");
        assertThat(embedding.getEncodedBy().getVersion()).isEqualTo("1");
        assertThat(embedding.getVector()).hasSize(64);
        assertThat(embedding.getWidth()).isEqualTo(320);
        assertThat(embedding.getHeight()).isEqualTo(240);
        assertThat(embedding.getFormat()).isEqualTo("jpeg");
        assertThat(embedding.getDecodeScale()).as("draft decoding is off by default").isEqualTo(1);
        assertThat(embedding.getPixelDecoder()).as("tests choose auto: libjpeg-turbo where installed")
                .isEqualTo(TurboJpegLibrary.available() ? "libjpeg-turbo" : "imageio");
        assertThat(embedding.getLabel()).isEqualTo(TestSubmissions.FAKE_LABEL);
        assertThat(embedding.getSubmittedAt()).isEqualTo(submission.getSubmittedAt());
        assertThat(embedding.getTimings().getBatchSize()).isEqualTo(1);
        assertThat(embedded.received().getFirst().getPayload().key()).isEqualTo("good-1");
        assertThat(rejected.received()).isEmpty();
    }

    @Test
    void rejectsHtmlAsNotAnImageAtTheEmbeddingStage() {
        poll(record("html-1", TestSubmissions.encode(TestSubmissions.inline("html-1", TestSubmissions.html()))));

        Record<String, ImageRejected> rejection = awaitOne(rejected);
        assertThat(rejection.key()).isEqualTo("html-1");
        assertThat(rejection.value().getReason()).isEqualTo(RejectReason.NOT_AN_IMAGE);
        assertThat(rejection.value().getStage()).isEqualTo(Stage.EMBEDDING);
        assertThat(rejection.value().getMessage()).contains("<!DOCTYPE html>");
        assertThat(rejection.value().getSourceTopic()).isEqualTo(Topics.INGEST.name());
        assertThat(embedded.received()).isEmpty();
    }

    @Test
    void rejectsKeyedGarbageAsBadRecordOfTheImageItsKeyNamesKeepingThePayload() {
        byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);

        poll(record("garbage-1", garbage));

        Record<String, ImageRejected> rejection = awaitOne(rejected);
        assertThat(rejection.key()).isEqualTo("garbage-1");
        assertThat(rejection.value().getReason()).isEqualTo(RejectReason.BAD_RECORD);
        assertThat(rejection.value().getMessage()).contains("not a ImageSubmitted record");
        assertThat(rejection.value().getPayload().array()).isEqualTo(garbage);
        assertThat(received.received()).as("nothing to receive: the record holds no submission").isEmpty();
    }

    @Test
    void sendsUnkeyedGarbageThatNamesNoImageToTheDeadLetterTopicWithItsOriginAndReason() {
        // given records that name no image: no key, and a value that is no submission
        RecordHeaders test = new RecordHeaders();
        byte[] run = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        test.add("test-run", run);
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);

        poll(record(null, garbage, test), record(" ", null, test));

        // then each is a dead letter, not a rejection (a rejection would be a final verdict for an id nobody sent)
        List<ConsumerRecord<byte[], byte[]>> letters;
        try (TopicTail tail = new TopicTail(Topics.EMBEDDER_DEAD_LETTERS.name())) {
            await().atMost(DEADLINE).until(() -> tail.pollCarrying("test-run", run).size() == 2);
            letters = tail.pollCarrying("test-run", run);
        }
        assertThat(letters).extracting(l -> DeadLetter.originTopic(l.headers()).orElseThrow())
                .containsOnly(Topics.INGEST.name());
        assertThat(letters).extracting(l -> DeadLetter.text(l.headers(), DeadLetter.REASON).orElseThrow())
                .containsExactlyInAnyOrder("NOT_AVRO", "TOMBSTONE");
        assertThat(letters).extracting(l -> DeadLetter.text(l.headers(), DeadLetter.SERVICE).orElseThrow())
                .containsOnly("embedder");
        assertThat(rejected.received()).isEmpty();
        assertThat(received.received()).isEmpty();
    }

    @Test
    void receivesEverySubmissionWithWhatTheUploaderSentAndWhereItsPixelsAre() {
        // given an inline submission with label and attributes, and one by uri
        byte[] jpeg = TestSubmissions.jpeg(64, 48);
        ImageSubmitted inline = TestSubmissions.submission("receipt-inline",
                ImageContent.newBuilder().setContent(ByteBuffer.wrap(jpeg)).setContentType("image/jpeg")
                        .build());
        inline.setLabel(TestSubmissions.FAKE_LABEL);
        inline.setAttributes(Map.of("uploader", "alice"));
        ImageSubmitted byUri = TestSubmissions.submission("receipt-uri",
                ImageContent.newBuilder().setUri("https://example.com/a.png").build());
        long inlineOffset = offset;

        // when
        poll(record("receipt-inline", TestSubmissions.encode(inline)),
                record("receipt-uri", TestSubmissions.encode(byUri)));

        // then each is received, keyed by its id, before it is embedded or rejected
        await().atMost(DEADLINE).until(() -> received.received().size() == 2 && embedded.received().size() == 1
                && rejected.received().size() == 1);
        Map<String, ImageReceived> receipts = new HashMap<>();
        received.received().forEach(m -> receipts.put(m.getPayload().key(), m.getPayload().value()));
        ImageReceived inlineReceipt = receipts.get("receipt-inline");
        assertThat(inlineReceipt.getImageId()).isEqualTo("receipt-inline");
        assertThat(inlineReceipt.getSubmittedAt()).isEqualTo(inline.getSubmittedAt());
        assertThat(inlineReceipt.getReceivedAt()).isAfterOrEqualTo(inline.getSubmittedAt());
        assertThat(inlineReceipt.getSource()).isEqualTo("test");
        assertThat(inlineReceipt.getAttributes()).containsExactlyEntriesOf(Map.of("uploader", "alice"));
        assertThat(inlineReceipt.getLabel()).isEqualTo(TestSubmissions.FAKE_LABEL);
        assertThat(inlineReceipt.getOriginal()).isEqualTo(ImageRef.newBuilder().setTopic(Topics.INGEST.name())
                .setPartition(0).setOffset(inlineOffset).setSizeBytes(jpeg.length).setContentType("image/jpeg")
                .build());
        assertThat(receipts.get("receipt-uri").getOriginal())
                .isEqualTo(ImageRef.newBuilder().setUri("https://example.com/a.png").build());
        assertThat(embedded.received().getFirst().getPayload().value().getOriginal())
                .as("the embedding names where its pixels are, as the receipt does, for detection on pixels")
                .isEqualTo(inlineReceipt.getOriginal());
    }

    @Test
    void embedsARecordWithNoKeyUnderTheIdInItsValue() {
        poll(record(null, TestSubmissions.encode(TestSubmissions.inline("no-key-1", TestSubmissions.jpeg(64, 48)))));

        assertThat(awaitOne(embedded).key()).isEqualTo("no-key-1");
        assertThat(awaitOne(received).key()).isEqualTo("no-key-1");
        assertThat(rejected.received()).isEmpty();
    }

    @Test
    void refusesARecordWhoseKeyDisagreesWithItsValuesIdAsBadRecordButStillReceivesIt() {
        // given a submission of image "value-id" that its producer keyed "other-key"
        ImageSubmitted submission = TestSubmissions.inline("value-id", TestSubmissions.jpeg(64, 48));
        submission.setLabel(TestSubmissions.FAKE_LABEL);

        // when
        poll(record("other-key", TestSubmissions.encode(submission)));

        // then it is received and rejected under the id in its value, and never embedded
        Record<String, ImageRejected> rejection = awaitOne(rejected);
        assertThat(rejection.key()).isEqualTo("value-id");
        assertThat(rejection.value().getReason()).isEqualTo(RejectReason.BAD_RECORD);
        assertThat(rejection.value().getMessage()).contains("key 'other-key'", "imageId 'value-id'",
                "key images.ingest records by their image id, or send no key");
        assertThat(rejection.value().getLabel()).isEqualTo(TestSubmissions.FAKE_LABEL);
        assertThat(awaitOne(received).key()).isEqualTo("value-id");
        await().during(Duration.ofMillis(MAX_WAIT.toMillis() + 500)).atMost(DEADLINE)
                .until(() -> embedded.received().isEmpty());
    }

    @Test
    void rejectsUriAndEmptySubmissionsWithSpecificReasons() {
        ImageSubmitted byUri = TestSubmissions.submission("uri-1",
                ImageContent.newBuilder().setUri("https://example.com/a.png").build());
        ImageSubmitted empty = TestSubmissions.submission("empty-1", ImageContent.newBuilder().build());

        poll(record("uri-1", TestSubmissions.encode(byUri)), record("empty-1", TestSubmissions.encode(empty)));

        await().atMost(DEADLINE).until(() -> rejected.received().size() == 2);
        Map<String, RejectReason> reasons = new HashMap<>();
        rejected.received().forEach(m -> reasons.put(m.getPayload().key(), m.getPayload().value().getReason()));
        assertThat(reasons).containsExactlyInAnyOrderEntriesOf(
                Map.of("uri-1", RejectReason.FETCH_FAILED, "empty-1", RejectReason.MISSING_CONTENT));
    }

    @Test
    void embedsALargePollInForwardPassesOfAtMostMaxBatch() {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        IntStream.range(0, 37).forEach(i -> records.add(record("many-" + i,
                TestSubmissions.encode(TestSubmissions.inline("many-" + i, TestSubmissions.jpeg(64 + i, 48))))));
        records.add(record("many-html",
                TestSubmissions.encode(TestSubmissions.inline("many-html", TestSubmissions.html()))));

        poll(records.toArray(ConsumerRecord[]::new));

        await().atMost(DEADLINE).until(() -> embedded.received().size() == 37 && rejected.received().size() == 1);
        List<Integer> batchSizes = embedded.received().stream()
                .map(m -> m.getPayload().value().getTimings().getBatchSize()).toList();
        assertThat(batchSizes).allSatisfy(size -> assertThat(size).isBetween(1, 16));
        assertThat(batchSizes).contains(16);
    }

    @Test
    void coalescesImagesOfSmallPollsInFlightIntoOneForwardPass() {
        // given three polls of one image each, sent together (max-batch 16, max-wait 2 s)
        List<String> ids = List.of("trickle-0", "trickle-1", "trickle-2");

        // when
        ids.forEach(id -> poll(
                record(id, TestSubmissions.encode(TestSubmissions.inline(id, TestSubmissions.jpeg(80, 60))))));

        // then one pass embedded all three: the polls did not wait for each other, the pass waited for them
        await().atMost(DEADLINE).until(() -> embedded.received().size() == 3);
        assertThat(embedded.received()).extracting(m -> m.getPayload().value().getTimings().getBatchSize())
                .containsOnly(3);
        assertThat(embedded.received()).extracting(m -> m.getPayload().key()).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void handsEachPassesEmbeddingsOverAtOnceAndReturnsOnlyWhenTheBrokerHasAcknowledgedAll() throws Exception {
        // given 20 images (a pass of 16, then one of 4 after max-wait) and a sink that holds back acknowledgements
        List<Submission> submissions = IntStream.range(0, 20).mapToObj(i -> {
            ImageSubmitted submission = TestSubmissions.inline("held-" + i, TestSubmissions.jpeg(64, 48));
            return new Submission(submission, TestSubmissions.encode(submission));
        }).toList();
        HeldAcknowledgements sink = new HeldAcknowledgements();

        // when
        CompletableFuture<EmbeddingResults> call = CompletableFuture
                .supplyAsync(() -> holder.engine().embed(submissions, sink));

        // then the first pass's embeddings leave before the second pass runs, and the call waits for the broker
        await().atMost(DEADLINE).until(() -> sink.embeddings.size() >= 16);
        assertThat(sink.embeddings).as("handed over while the last 4 images wait out max-wait (2 s)").hasSize(16);
        await().atMost(DEADLINE).until(() -> sink.embeddings.size() == 20);
        assertThat(sink.embeddings).extracting(embedding -> embedding.getTimings().getBatchSize())
                .containsExactly(IntStream.range(0, 20).mapToObj(i -> i < 16 ? 16 : 4).toArray(Integer[]::new));
        assertThat(call).isNotDone();
        sink.acknowledged.complete(null);
        assertThat(call.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).embeddings()).hasSize(20);
    }

    /** Records what it is handed, in order; the broker "acknowledges" everything at once, when the test says. */
    private static final class HeldAcknowledgements implements ResultSink {
        final List<ImageEmbedding> embeddings = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> acknowledged = new CompletableFuture<>();

        @Override
        public CompletableFuture<Void> embedded(ImageEmbedding embedding) {
            embeddings.add(embedding);
            return acknowledged;
        }

        @Override
        public CompletableFuture<Void> rejected(ImageRejected rejection) {
            return acknowledged;
        }
    }

    @SafeVarargs
    private void poll(ConsumerRecord<String, byte[]>... records) {
        connector.source(Channels.INGEST)
                .send(new ConsumerRecords<>(Map.of(new TopicPartition(Topics.INGEST.name(), 0), List.of(records))));
    }

    private ConsumerRecord<String, byte[]> record(String key, byte[] value) {
        return new ConsumerRecord<>(Topics.INGEST.name(), 0, offset++, key, value);
    }

    private ConsumerRecord<String, byte[]> record(String key, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>(Topics.INGEST.name(), 0, offset++, ConsumerRecord.NO_TIMESTAMP,
                TimestampType.NO_TIMESTAMP_TYPE, -1, -1, key, value, headers, Optional.empty());
    }

    private static <T> T awaitOne(InMemorySink<T> sink) {
        await().atMost(DEADLINE).until(() -> !sink.received().isEmpty());
        assertThat(sink.received()).hasSize(1);
        return sink.received().getFirst().getPayload();
    }
}
