package dev.aidetect.tools.eval;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageVerdict;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.KafkaClientSettings;
import dev.aidetect.tools.cli.FailureLine;
import dev.aidetect.tools.cli.Progress;
import dev.aidetect.tools.submit.Replayer;
import dev.aidetect.tools.train.TopicReplay;

/**
 * One evaluation run without Kafka: the records the streaming run would publish ({@link Replayer#fileRecord},
 * {@link Replayer#replayed}: the same ids, labels and attributes) go through the {@link OfflinePipeline} a chunk at a
 * time, as the embedder polls them; each image's stage verdicts are those on its final's path.
 */
final class OfflineRun {
    /** Images handed to the embedding engine at once: a poll's worth. */
    static final int CHUNK = 64;

    private final OfflinePipeline pipeline;
    private final String run;
    private final PrintWriter err;
    private final List<ScoredImage> scored = new ArrayList<>();
    private final List<String> refused = new ArrayList<>();
    private final List<ImageSubmitted> chunk = new ArrayList<>();
    private final List<String> originals = new ArrayList<>();
    private IntConsumer progress = done -> {
    };
    private int unlabelled;

    OfflineRun(OfflinePipeline pipeline, String run, PrintWriter err) {
        this.pipeline = pipeline;
        this.run = run;
        this.err = err;
    }

    /** What the run gives the report: the images, the files that could not be read, and how long it took. */
    record Outcome(List<ScoredImage> images, List<String> refused, int unlabelled, double seconds) {
    }

    /** Runs the files of data set folders, each file's bytes first through {@code transform}. */
    Outcome files(List<EvalImage> images, Replayer.ContentTransform transform) {
        long start = System.nanoTime();
        progress = Progress.counter("final verdicts", images.size(), err);
        for (EvalImage image : images) {
            try {
                add(Replayer.fileRecord(run, image.image(), image.originalId(),
                        transform.apply(Files.readAllBytes(image.image().file())), Instant.now()),
                        image.originalId());
            } catch (IOException e) {
                refused.add(image.image().file() + ": cannot read it: " + FailureLine.of(e));
            }
        }
        flush();
        return new Outcome(List.copyOf(scored), List.copyOf(refused), unlabelled, (System.nanoTime() - start) / 1e9);
    }

    /** Runs the ImageSubmitted records of a topic (its whole content now), with the labels they carry. */
    Outcome topic(KafkaClientSettings cluster, String topic) {
        long start = System.nanoTime();
        new TopicReplay<>(cluster, topic, Topics.INGEST).replay(record -> {
            if (record != null) {
                add(Replayer.replayed(run, false, record, Instant.now()), record.getImageId());
            }
        }, total -> {
            progress = Progress.counter("final verdicts", total, err);
            return done -> {
            };
        });
        flush();
        return new Outcome(List.copyOf(scored), List.copyOf(refused), unlabelled, (System.nanoTime() - start) / 1e9);
    }

    private void add(ImageSubmitted record, String originalId) {
        chunk.add(record);
        originals.add(originalId);
        if (chunk.size() == CHUNK) {
            flush();
        }
    }

    private void flush() {
        if (chunk.isEmpty()) {
            return;
        }
        List<FinalVerdict> finals = pipeline.run(chunk);
        for (int i = 0; i < chunk.size(); i++) {
            ImageLabel truth = chunk.get(i).getLabel();
            if (truth == null) {
                unlabelled++;
                continue;
            }
            FinalVerdict verdict = finals.get(i);
            Map<Stage, StageVerdict> stages = new EnumMap<>(Stage.class);
            verdict.getPath().forEach(v -> stages.put(v.getStage(), v));
            scored.add(new ScoredImage(verdict.getImageId(), originals.get(i), truth, verdict, stages));
        }
        chunk.clear();
        originals.clear();
        progress.accept(scored.size() + unlabelled + refused.size());
    }
}
