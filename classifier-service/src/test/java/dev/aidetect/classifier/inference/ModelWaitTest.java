package dev.aidetect.classifier.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

import dev.aidetect.classifier.Records;
import dev.aidetect.classifier.TrainedModels;
import dev.aidetect.classifier.config.ClassifierConfig;
import dev.aidetect.classifier.domain.IncomingRecord;
import dev.aidetect.classifier.domain.ModelSlot;
import dev.aidetect.classifier.domain.Outcome;
import dev.aidetect.classifier.domain.ReloadResult;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.AvroSerializer;

/**
 * A record that meets its stage's model loading or being reloaded is not rejected for it: during a reload the serving
 * head decides it, and while a model loads it waits (bounded by model-wait); a model that does not come makes it
 * UNAVAILABLE, which is retryable, never an internal error.
 */
class ModelWaitTest {
    private static final AvroSerializer SERIALIZER = new AvroSerializer();

    @TempDir
    Path dir;

    @Test
    void aRecordThatArrivesWhileItsHeadIsLoadingWaitsForItAndIsDecided() throws Exception {
        // given: the detection head is configured but not loaded yet
        Path head = dir.resolve("d.head");
        TrainedModels.trainDetectionHead(head, TrainedModels.SIZE, 1);
        ModelRegistry models = registry(head, Duration.ofSeconds(30));
        VectorClassifier classifier = new VectorClassifier(models, metrics());

        // when: a record arrives, and the head loads a little later
        CompletableFuture<Outcome> outcome = CompletableFuture.supplyAsync(() -> classifier.detect(embedding("early")));
        Thread.sleep(300);
        assertThat(outcome).as("waiting for the head").isNotDone();
        assertThat(models.load(ModelSlot.DETECTION_HEAD)).isTrue();

        // then
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(Outcome.Verdict.class);
    }

    @Test
    void aRecordWaitsAtMostModelWaitAfterTheLoadBeganThenIsRejectedUnavailableAndRetryable() throws Exception {
        // given: a head that never finishes loading within the wait
        ModelRegistry models = registry(dir.resolve("never-loaded.head"), Duration.ofMillis(400));
        VectorClassifier classifier = new VectorClassifier(models, metrics());

        // when
        long start = System.nanoTime();
        Outcome first = classifier.detect(embedding("first"));
        Duration firstWait = Duration.ofNanos(System.nanoTime() - start);
        start = System.nanoTime();
        Outcome second = classifier.detect(embedding("second"));
        Duration secondWait = Duration.ofNanos(System.nanoTime() - start);

        // then
        ImageRejected rejected = rejection(first);
        assertThat(rejected.getReason()).isEqualTo(RejectReason.UNAVAILABLE);
        assertThat(rejected.getRetryable()).isTrue();
        assertThat(rejected.getMessage()).contains("detection head was still loading")
                .contains("aidetect.classifier.model-wait").contains("submit the image again");
        assertThat(firstWait).isBetween(Duration.ofMillis(300), Duration.ofSeconds(5));
        assertThat(rejection(second).getReason()).isEqualTo(RejectReason.UNAVAILABLE);
        assertThat(secondWait).as("the wait counts from the load's start, not per record")
                .isLessThan(Duration.ofMillis(300));
    }

    @Test
    void aRecordForAModelThatFailedToLoadIsRejectedUnavailableAtOnce() {
        // given
        ModelRegistry models = registry(dir.resolve("missing.head"), Duration.ofSeconds(30));
        assertThat(models.load(ModelSlot.DETECTION_HEAD)).isFalse();

        // when
        long start = System.nanoTime();
        Outcome outcome = new VectorClassifier(models, metrics()).detect(embedding("after-failure"));

        // then
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        ImageRejected rejected = rejection(outcome);
        assertThat(rejected.getReason()).isEqualTo(RejectReason.UNAVAILABLE);
        assertThat(rejected.getRetryable()).isTrue();
        assertThat(rejected.getMessage()).contains("is not loaded").contains("missing.head");
    }

    @Test
    void recordsThatArriveDuringAHeadReloadAreDecidedByTheServingHead() throws Exception {
        // given: a serving head, and a retrained one moved into place
        Path head = dir.resolve("d.head");
        TrainedModels.trainDetectionHead(head, TrainedModels.SIZE, 1);
        ModelRegistry models = registry(head, Duration.ofSeconds(30));
        assertThat(models.load(ModelSlot.DETECTION_HEAD)).isTrue();
        TrainedModels.trainDetectionHead(dir.resolve("d2.head"), TrainedModels.SIZE, 2);
        ModelReloader reloader = new ModelReloader(models, new SimpleMeterRegistry());
        VectorClassifier classifier = new VectorClassifier(models, metrics());

        // when: records are decided one after another before, during and after the head is reloaded
        AtomicInteger decidedSoFar = new AtomicInteger();
        AtomicInteger stopAt = new AtomicInteger(Integer.MAX_VALUE);
        CountDownLatch deciding = new CountDownLatch(20);
        CompletableFuture<List<Outcome>> outcomes = CompletableFuture.supplyAsync(() -> {
            List<Outcome> decided = new ArrayList<>();
            while (decided.size() < stopAt.get()) {
                decided.add(classifier.detect(embedding("during-reload-" + decided.size())));
                decidedSoFar.incrementAndGet();
                deciding.countDown();
            }
            return decided;
        }, Executors.newVirtualThreadPerTaskExecutor());
        assertThat(deciding.await(30, TimeUnit.SECONDS)).as("records decided before the reload").isTrue();
        ReloadResult swapped = reloader.reload(ModelSlot.DETECTION_HEAD, Optional.of(dir.resolve("d2.head")));
        stopAt.set(decidedSoFar.get() + 20);

        // then: every record decided, by the old head or the new one, none rejected
        assertThat(swapped.outcome()).isEqualTo(ReloadResult.Outcome.SWAPPED);
        List<Outcome> decided = outcomes.get(60, TimeUnit.SECONDS);
        assertThat(decided).allSatisfy(outcome -> assertThat(outcome).as("no record is rejected for a reload")
                .isInstanceOf(Outcome.Verdict.class));
        assertThat(decided.stream().map(o -> ((Outcome.Verdict) o).verdict().getModel().getVersion()).distinct())
                .as("records were decided by the old head, then by the new").hasSize(2);
    }

    @Test
    void aRecordAfterShutdownBeganIsRejectedUnavailableNotAsAnInternalError() throws IOException {
        Path head = dir.resolve("d.head");
        TrainedModels.trainDetectionHead(head, TrainedModels.SIZE, 1);
        ModelRegistry models = registry(head, Duration.ofSeconds(30));
        assertThat(models.load(ModelSlot.DETECTION_HEAD)).isTrue();

        models.close();
        ImageRejected rejected = rejection(new VectorClassifier(models, metrics()).detect(embedding("late")));

        assertThat(rejected.getReason()).isEqualTo(RejectReason.UNAVAILABLE);
        assertThat(rejected.getMessage()).contains("shutting down");
    }

    private static ModelRegistry registry(Path detectionHead, Duration modelWait) {
        Map<String, String> settings = new HashMap<>();
        settings.put("aidetect.classifier.detection-head", detectionHead.toString());
        settings.put("aidetect.classifier.model-wait", modelWait.toMillis() + "ms");
        ClassifierConfig config = new SmallRyeConfigBuilder().withMapping(ClassifierConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(settings, "test", 100)).build()
                .getConfigMapping(ClassifierConfig.class);
        return new ModelRegistry(config);
    }

    private static InferenceMetrics metrics() {
        return new InferenceMetrics(new SimpleMeterRegistry());
    }

    private static IncomingRecord embedding(String imageId) {
        float[] vector = TrainedModels.vectors(List.of("REAL", "FAKE"), 5).vectors().getFirst();
        return new IncomingRecord(imageId, SERIALIZER.serialize(Topics.EMBEDDED.name(),
                Records.embedding(imageId, TrainedModels.ENCODER, vector)), Topics.EMBEDDED.name());
    }

    private static ImageRejected rejection(Outcome outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Rejection.class);
        return ((Outcome.Rejection) outcome).rejected();
    }
}
