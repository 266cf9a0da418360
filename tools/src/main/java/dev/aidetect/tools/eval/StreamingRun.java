package dev.aidetect.tools.eval;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntConsumer;

import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.KafkaClientSettings;
import dev.aidetect.tools.cli.Progress;
import dev.aidetect.tools.submit.Replayer;
import dev.aidetect.tools.train.TopicReplay;

/**
 * One evaluation run through a running pipeline: the images are replayed onto {@code images.ingest} as run
 * {@code run} ({@link Replayer}: fresh ids derived from the run id, the originals kept in attributes), at most
 * {@code window} at a time without a final verdict (so no case waits in a queue long enough to time out), while a
 * {@link VerdictCollector} reads their final and stage verdicts. It ends when every image has its final verdict, or
 * when none came for {@code stall}: then what is missing is said and the rest are reported without one.
 */
final class StreamingRun {
    private static final Duration POLL = Duration.ofMillis(100);
    /** How long to keep reading after the last final, to catch a second one for an image. */
    private static final Duration GRACE = Duration.ofSeconds(2);

    /** Where one image came from, to tell it apart in the report. */
    private record Sent(String imageId, String originalId, ImageLabel truth) {
    }

    /**
     * What the run gives the report.
     *
     * @param images every image the broker took, scored or not
     * @param refused images the broker did not take, with why
     * @param missing what was missing when the run stopped waiting, or {@code null} when nothing was
     * @param secondFinals images with more than one final verdict (the invariant says none)
     * @param unlabelled records of a topic that carried no label, left out of the numbers
     * @param seconds from the first image sent to the last final verdict
     */
    record Outcome(List<ScoredImage> images, List<String> refused, String missing, Map<String, Integer> secondFinals,
            int unlabelled, double seconds) {
    }

    private final KafkaClientSettings cluster;
    private final String run;
    private final int window;
    private final Duration stall;
    private final PrintWriter err;
    private final EmbeddingSample embeddings;
    private final List<Sent> sent = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> refusedIds = new ConcurrentLinkedQueue<>();
    private final Set<String> refusedSet = new HashSet<>();
    private VerdictCollector collector;
    private IntConsumer progress = done -> {
    };
    private String missing;

    /**
     * A run as {@code run}, at most {@code window} images without a final verdict, stopping after {@code stall}
     * without one; the run's embeddings go to {@code embeddings} unless it is {@code null}.
     */
    StreamingRun(KafkaClientSettings cluster, String run, int window, Duration stall, EmbeddingSample embeddings,
            PrintWriter err) {
        this.embeddings = embeddings;
        this.cluster = cluster;
        this.run = run;
        this.window = window;
        this.stall = stall;
        this.err = err;
    }

    /** Replays files from data set folders, each file's bytes first through {@code transform}. */
    Outcome files(List<EvalImage> images, Replayer.ContentTransform transform) {
        return run(images.size(), replayer -> {
            for (EvalImage image : images) {
                if (missing != null) {
                    missing += "; " + (images.size() - sent.size()) + " images were not sent";
                    return;
                }
                admit(replayer.publishFile(image.image(), image.originalId(), transform), image.originalId(),
                        image.label());
            }
        });
    }

    /** Replays the ImageSubmitted records of a topic (its whole content now), with the labels they carry. */
    Outcome topic(String topic) {
        return run(-1, replayer -> new TopicReplay<>(cluster, topic, Topics.INGEST).replay(record -> {
            if (record != null && missing == null) {
                admit(replayer.publish(record), record.getImageId(), record.getLabel());
            }
        }, total -> {
            progress = Progress.counter("final verdicts", total, err);
            return done -> {
            };
        }));
    }

    private interface Feed {
        void publish(Replayer replayer);
    }

    private Outcome run(int total, Feed feed) {
        long start = System.nanoTime();
        List<String> refused;
        try (VerdictCollector verdicts = new VerdictCollector(cluster, embeddings);
                Replayer replayer = new Replayer(cluster, run, false, 64 << 20)) {
            collector = verdicts;
            if (total > 0) {
                progress = Progress.counter("final verdicts", total, err);
            }
            feed.publish(replayer);
            refused = replayer.finish().refused();
            drainRefusals();
            while (missing == null && collector.missing() > 0) {
                step();
            }
            long end = System.nanoTime();
            if (missing == null) {
                long graceEnd = System.nanoTime() + GRACE.toNanos();
                while (System.nanoTime() < graceEnd) {
                    collector.poll(POLL);
                }
            }
            double seconds = (lastArrival(end) - start) / 1e9;
            int unlabelled = (int) sent.stream().filter(s -> s.truth() == null).count();
            return new Outcome(scored(), refused, missing, collector.secondFinals(), unlabelled, seconds);
        }
    }

    /** Waits until the window has room, then counts the image in. */
    private void admit(Replayer.Published published, String originalId, ImageLabel truth) {
        collector.expect(published.imageId());
        sent.add(new Sent(published.imageId(), originalId, truth));
        published.ack().whenComplete((ok, failure) -> {
            if (failure != null) {
                refusedIds.add(published.imageId());
            }
        });
        while (missing == null && collector.missing() >= window) {
            step();
        }
    }

    /** One poll; notes what is missing when no final verdict came for {@code stall}. */
    private void step() {
        drainRefusals();
        progress.accept(collector.poll(POLL));
        if (collector.missing() > 0 && collector.sinceLastFinal().compareTo(stall) > 0) {
            missing = "no final verdict came for " + stall.toSeconds() + " s (--timeout): "
                    + collector.describeMissing(5) + ". Is the pipeline on " + cluster.bootstrapServers()
                    + " running (all three services)? Their logs say why a stage is behind";
        }
    }

    private void drainRefusals() {
        for (String id = refusedIds.poll(); id != null; id = refusedIds.poll()) {
            collector.forget(id);
            refusedSet.add(id);
        }
    }

    private long lastArrival(long otherwise) {
        return sent.stream().map(s -> collector.arrivedAtNanos(s.imageId())).filter(t -> t != null)
                .mapToLong(Long::longValue).max().orElse(otherwise);
    }

    private List<ScoredImage> scored() {
        List<ScoredImage> images = new ArrayList<>();
        for (Sent s : sent) {
            if (!refusedSet.contains(s.imageId()) && s.truth() != null) {
                images.add(new ScoredImage(s.imageId(), s.originalId(), s.truth(), collector.finalOf(s.imageId()),
                        collector.stagesOf(s.imageId())));
            }
        }
        return images;
    }
}
