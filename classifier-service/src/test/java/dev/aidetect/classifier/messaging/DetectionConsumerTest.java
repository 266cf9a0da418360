package dev.aidetect.classifier.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

import dev.aidetect.classifier.InMemoryClassifierResource;
import dev.aidetect.classifier.Records;
import dev.aidetect.classifier.TrainedModels;
import dev.aidetect.heads.VectorHead;
import dev.aidetect.heads.fixtures.GaussianClouds;
import dev.aidetect.kafka.TopicTail;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageVerdict;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.DeadLetter;

@QuarkusTest
@WithTestResource(InMemoryClassifierResource.class)
class DetectionConsumerTest {
    @Inject
    @Any
    InMemoryConnector connector;

    Outputs outputs;
    GaussianClouds fresh = TrainedModels.vectors(List.of("REAL", "FAKE"), 99);

    @BeforeEach
    void outputs() {
        outputs = new Outputs(connector);
    }

    @Test
    void decidesFakeForAnEmbeddingFromTheFakeCloudWithTheProbabilityOfFake() throws IOException {
        float[] fake = fresh.vectors().get(1);
        VectorHead head = TrainedModels.detectionHead();

        outputs.send(Channels.EMBEDDED, Records.consumed(Channels.EMBEDDED, "img-fake",
                Records.embedding("img-fake", TrainedModels.ENCODER, fake)));

        StageVerdict verdict = outputs.<StageVerdict>awaitOne(Channels.DETECTION_VERDICTS, "img-fake").getPayload();
        assertThat(verdict.getImageId()).isEqualTo("img-fake");
        assertThat(verdict.getStage()).isEqualTo(Stage.DETECTION);
        assertThat(verdict.getDecision()).isEqualTo("FAKE");
        assertThat(verdict.getScore()).isEqualTo(head.classify(fake).score()).isGreaterThan(0.5);
        assertThat(verdict.getScores()).containsOnlyKeys("REAL", "FAKE");
        assertThat(verdict.getThreshold()).isEqualTo(0.5);
        assertThat(verdict.getModel().getId()).isEqualTo("detection-logistic-regression");
        assertThat(verdict.getModel().getVersion()).isEqualTo(head.version());
        assertThat(verdict.getDecidedAt()).isNotNull();
    }

    @Test
    void decidesRealForAnEmbeddingFromTheRealCloud() {
        outputs.send(Channels.EMBEDDED, Records.consumed(Channels.EMBEDDED, "img-real",
                Records.embedding("img-real", TrainedModels.ENCODER, fresh.vectors().get(0))));

        StageVerdict verdict = outputs.<StageVerdict>awaitOne(Channels.DETECTION_VERDICTS, "img-real").getPayload();
        assertThat(verdict.getDecision()).isEqualTo("REAL");
        assertThat(verdict.getScore()).isLessThan(0.5);
    }

    @Test
    void rejectsAVectorOfTheWrongSizeAsBadVector() {
        outputs.send(Channels.EMBEDDED, Records.consumed(Channels.EMBEDDED, "img-short",
                Records.embedding("img-short", TrainedModels.ENCODER, new float[3])));

        ImageRejected rejected = rejection("img-short");
        assertThat(rejected.getReason()).isEqualTo(RejectReason.BAD_VECTOR);
        assertThat(rejected.getMessage()).contains("size 3", "size 16");
        assertThat(rejected.getLabel().getAuthenticity().name()).isEqualTo("FAKE");
    }

    @Test
    void rejectsAVectorWithNaNAsBadVector() {
        float[] vector = fresh.vectors().get(2).clone();
        vector[4] = Float.NaN;

        outputs.send(Channels.EMBEDDED, Records.consumed(Channels.EMBEDDED, "img-nan",
                Records.embedding("img-nan", TrainedModels.ENCODER, vector)));

        ImageRejected rejected = rejection("img-nan");
        assertThat(rejected.getReason()).isEqualTo(RejectReason.BAD_VECTOR);
        assertThat(rejected.getMessage()).contains("component 4 is NaN");
    }

    @Test
    void rejectsAnAllZeroVectorAsBadVectorRatherThanDecidingOnTheBiasAlone() {
        outputs.send(Channels.EMBEDDED, Records.consumed(Channels.EMBEDDED, "img-zero",
                Records.embedding("img-zero", TrainedModels.ENCODER, new float[TrainedModels.SIZE])));

        ImageRejected rejected = rejection("img-zero");
        assertThat(rejected.getReason()).isEqualTo(RejectReason.BAD_VECTOR);
        assertThat(rejected.getMessage()).contains("all " + TrainedModels.SIZE + " components", "zero");
    }

    @Test
    void rejectsAVectorFromAnotherEncoderAsEncoderMismatch() {
        outputs.send(Channels.EMBEDDED, Records.consumed(Channels.EMBEDDED, "img-foreign",
                Records.embedding("img-foreign", "openai-clip-vit-l-14", fresh.vectors().get(3))));

        ImageRejected rejected = rejection("img-foreign");
        assertThat(rejected.getReason()).isEqualTo(RejectReason.ENCODER_MISMATCH);
        assertThat(rejected.getMessage()).contains("openai-clip-vit-l-14", TrainedModels.ENCODER);
    }

    @Test
    void rejectsAnUndecodableRecordAsBadRecordAndKeepsItsBytes() {
        byte[] garbage = "not avro at all".getBytes();

        outputs.send(Channels.EMBEDDED, Records.consumed(Channels.EMBEDDED, "img-garbage", garbage));

        ImageRejected rejected = rejection("img-garbage");
        assertThat(rejected.getReason()).isEqualTo(RejectReason.BAD_RECORD);
        assertThat(rejected.getStage()).isEqualTo(Stage.DETECTION);
        assertThat(rejected.getSourceTopic()).isEqualTo("images.embedded");
        assertThat(rejected.getMessage()).contains("is not a ImageEmbedding record");
        assertThat(rejected.getPayload().array()).isEqualTo(garbage);
    }

    @Test
    void sendsUnkeyedRecordsThatDoNotDecodeToTheDeadLetterTopicNotToImagesRejected() {
        // given two records that name no image: no key, and no readable value
        RecordHeaders test = new RecordHeaders();
        byte[] run = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        test.add("test-run", run);
        byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);

        outputs.send(Channels.EMBEDDED, Records.poll(unkeyed(garbage, test), unkeyed(null, test)));

        // then both are dead letters with their origin and reason, and nothing is rejected
        List<ConsumerRecord<byte[], byte[]>> letters;
        try (TopicTail tail = new TopicTail(Topics.CLASSIFIER_DEAD_LETTERS.name())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> tail.pollCarrying("test-run", run).size() == 2);
            letters = tail.pollCarrying("test-run", run);
        }
        assertThat(letters).extracting(l -> DeadLetter.text(l.headers(), DeadLetter.REASON).orElseThrow())
                .containsExactlyInAnyOrder("NOT_AVRO", "TOMBSTONE");
        assertThat(letters).extracting(l -> DeadLetter.originTopic(l.headers()).orElseThrow())
                .containsOnly(Topics.EMBEDDED.name());
        assertThat(letters).extracting(l -> DeadLetter.text(l.headers(), DeadLetter.SERVICE).orElseThrow())
                .containsOnly("classifier");
        assertThat(letters).filteredOn(l -> l.value() != null).singleElement()
                .satisfies(l -> assertThat(l.value()).isEqualTo(garbage));
        assertThat(connector.sink(Channels.REJECTED).received()).as("no rejection for an image nobody named")
                .noneMatch(m -> Records.keyOf(m) == null || Records.keyOf(m).startsWith("unkeyed"));
    }

    private static ConsumerRecord<String, byte[]> unkeyed(byte[] value, RecordHeaders headers) {
        ConsumerRecord<String, byte[]> at = Records.record(Channels.EMBEDDED, null, new byte[0]);
        return new ConsumerRecord<>(at.topic(), at.partition(), at.offset(), ConsumerRecord.NO_TIMESTAMP,
                TimestampType.NO_TIMESTAMP_TYPE, -1, -1, null, value, headers, Optional.empty());
    }

    @Test
    void decidesEveryRecordOfAPollOnceWhenABadRecordComesFirst() {
        outputs.send(Channels.EMBEDDED, Records.poll(
                Records.record(Channels.EMBEDDED, "img-bad-first", new byte[]{1, 2}),
                Records.record(Channels.EMBEDDED, "img-good-after",
                        Records.embedding("img-good-after", TrainedModels.ENCODER, fresh.vectors().get(5))),
                Records.record(Channels.EMBEDDED, "img-real-last",
                        Records.embedding("img-real-last", TrainedModels.ENCODER, fresh.vectors().get(4)))));

        assertThat(rejection("img-bad-first").getReason()).isEqualTo(RejectReason.BAD_RECORD);
        assertThat(outputs.<StageVerdict>awaitOne(Channels.DETECTION_VERDICTS, "img-good-after").getPayload()
                .getDecision()).isEqualTo("FAKE");
        assertThat(outputs.<StageVerdict>awaitOne(Channels.DETECTION_VERDICTS, "img-real-last").getPayload()
                .getDecision()).isEqualTo("REAL");
        assertThat(outputs.keyed(Channels.REJECTED, "img-good-after")).isEmpty();
        assertThat(outputs.keyed(Channels.REJECTED, "img-real-last")).isEmpty();
    }

    @Test
    void acknowledgesAPollOnlyOnceEveryOutcomeOfItIsSent() throws Exception {
        CompletableFuture<Integer> sentWhenAcknowledged = new CompletableFuture<>();
        var poll = Records.poll(Records.record(Channels.EMBEDDED, "img-ack-bad", new byte[]{7}),
                Records.record(Channels.EMBEDDED, "img-ack-good",
                        Records.embedding("img-ack-good", TrainedModels.ENCODER, fresh.vectors().get(6))));

        outputs.send(Channels.EMBEDDED, poll.withAck(() -> {
            sentWhenAcknowledged.complete(outputs.keyed(Channels.REJECTED, "img-ack-bad").size()
                    + outputs.keyed(Channels.DETECTION_VERDICTS, "img-ack-good").size());
            return CompletableFuture.completedFuture(null);
        }));

        assertThat(sentWhenAcknowledged.get(20, TimeUnit.SECONDS)).isEqualTo(2);
    }

    private ImageRejected rejection(String imageId) {
        ImageRejected rejected = outputs.<ImageRejected>awaitOne(Channels.REJECTED, imageId).getPayload();
        assertThat(outputs.keyed(Channels.DETECTION_VERDICTS, imageId)).isEmpty();
        assertThat(rejected.getImageId()).isEqualTo(imageId);
        assertThat(rejected.getRejectedAt()).isNotNull();
        return rejected;
    }
}
