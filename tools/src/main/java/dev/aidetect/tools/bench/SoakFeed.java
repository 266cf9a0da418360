package dev.aidetect.tools.bench;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.Topics;

/**
 * The feed of {@code aidetect soak}: sends the planned submissions at a fixed rate (submission i at i / rate seconds
 * from the start, whatever the pipeline does: an open loop, so a pipeline that falls behind builds a queue instead of
 * slowing the feed), reads {@code verdicts.final} {@code read_committed}, samples the {@link PipelineGauges} every
 * few seconds on a thread of its own, and cuts the run into intervals. A progress line goes to the log every
 * {@link #PROGRESS} and a line per interval as it ends. After the last interval it waits for the remaining finals
 * (at most the drain time), then reads {@link #REPEAT_WATCH} longer to see a second final for any image.
 */
final class SoakFeed {
    static final Duration PROGRESS = Duration.ofSeconds(10);
    static final Duration REPEAT_WATCH = Duration.ofSeconds(3);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration SAMPLE = Duration.ofSeconds(5);

    /** What the soak measured: the intervals and what became of every submission. */
    record Outcome(List<SoakInterval> intervals, SoakChecks.Finals finals, double drainSeconds, int drainFinals) {
    }

    /** How the soak runs. */
    record Settings(double rate, Duration length, Duration interval, int warmUpIntervals, Duration drainTimeout) {
        int intervals() {
            return (int) Math.ceil((double) length.toNanos() / interval.toNanos());
        }

        /** Gauges are sampled every 5 s, or four times an interval when intervals are shorter than 20 s. */
        long sampleNanos() {
            return Math.min(SAMPLE.toNanos(), interval.toNanos() / 4);
        }
    }

    private SoakFeed() {
    }

    /**
     * @param exited names of the pipeline's processes that have exited (a crash ends the soak early); empty when the
     *        pipeline is not this command's
     */
    static Outcome run(String bootstrap, List<Submissions.Submission> plan, Settings settings, PipelineGauges gauges,
            Supplier<List<String>> exited, PrintWriter log) {
        int total = plan.size();
        int intervals = settings.intervals();
        long intervalNanos = settings.interval().toNanos();
        long lengthNanos = settings.length().toNanos();
        Map<String, Integer> indexOf = new HashMap<>();
        plan.forEach(s -> indexOf.put(s.imageId(), s.index()));
        long[] sentNanos = new long[total];
        byte[] finalsPerImage = new byte[total];
        int[] submittedIn = new int[intervals];
        List<List<Double>> latencies = new ArrayList<>();
        for (int k = 0; k < intervals; k++) {
            latencies.add(new ArrayList<>());
        }
        Map<String, Integer> notDecided = new TreeMap<>();
        AtomicReference<Exception> sendFailure = new AtomicReference<>();
        ConcurrentSkipListMap<Long, PipelineGauges.Sample> samples = new ConcurrentSkipListMap<>();
        int sent = 0;
        int received = 0;
        int duplicates = 0;
        int drainFinals = 0;
        long start;
        long drainStart;
        long drainEnd;
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "soak-gauges");
            thread.setDaemon(true);
            return thread;
        });
        try (KafkaProducer<byte[], byte[]> producer = TopicRecording.producer(bootstrap);
                KafkaConsumer<String, FinalVerdict> consumer = PipelineFeed.finalsConsumer(bootstrap)) {
            start = System.nanoTime();
            long t0 = start;
            AtomicBoolean told = new AtomicBoolean();
            sampler.scheduleAtFixedRate(() -> {
                try {
                    samples.put(System.nanoTime() - t0, gauges.sample());
                } catch (RuntimeException e) {
                    // A failed sample leaves a gap; an exception here would end the sampling for good.
                    if (!told.getAndSet(true)) {
                        log.println("  note: a sample of lag and memory failed (" + e + "); sampling goes on");
                    }
                }
            }, 0, settings.sampleNanos(), TimeUnit.NANOSECONDS);
            long nextProgress = PROGRESS.toNanos();
            int nextInterval = 0;
            int finishedAtLastLine = 0;
            long end = lengthNanos;
            long drainDeadline = Long.MAX_VALUE;
            long repeatWatchEnd = Long.MAX_VALUE;
            drainStart = -1;
            drainEnd = -1;
            while (true) {
                long now = System.nanoTime() - start;
                if (sendFailure.get() != null) {
                    throw new IllegalStateException("a submission could not be sent to images.ingest: "
                            + sendFailure.get().getMessage(), sendFailure.get());
                }
                // Every submission due by now, at i / rate seconds from the start, and none after the soak's end.
                while (sent < total && now < end && sent / settings.rate() * 1e9 <= now) {
                    send(producer, plan.get(sent), sendFailure);
                    sentNanos[sent] = System.nanoTime() - start;
                    submittedIn[(int) Math.min(intervals - 1, sentNanos[sent] / intervalNanos)]++;
                    sent++;
                }
                for (ConsumerRecord<String, FinalVerdict> record : consumer.poll(POLL)) {
                    FinalVerdict verdict = record.value();
                    Integer i = verdict == null ? null : indexOf.get(verdict.getImageId());
                    if (i == null) {
                        continue;
                    }
                    if (finalsPerImage[i] > 0) {
                        duplicates++;
                        continue;
                    }
                    finalsPerImage[i] = 1;
                    received++;
                    long arrived = System.nanoTime() - start;
                    if (arrived < end) {
                        latencies.get((int) (arrived / intervalNanos)).add((arrived - sentNanos[i]) / 1e6);
                    } else {
                        drainFinals++;
                    }
                    if (verdict.getStatus() != FinalStatus.DECIDED) {
                        notDecided.merge(verdict.getStatus().name(), 1, Integer::sum);
                    }
                }
                now = System.nanoTime() - start;
                while (nextInterval < intervals && now >= Math.min(end, (nextInterval + 1L) * intervalNanos)) {
                    int finished = latencies.get(nextInterval).size();
                    log.printf(Locale.ROOT, "  interval %d of %d%s ended: %d sent, %d finals, p99 %.0f ms%n",
                            nextInterval + 1, intervals, nextInterval < settings.warmUpIntervals() ? " (warm-up)" : "",
                            submittedIn[nextInterval], finished, PipelineReport.nearestRank(
                                    toArray(latencies.get(nextInterval)), 99));
                    nextInterval++;
                }
                if (now >= nextProgress) {
                    nextProgress += PROGRESS.toNanos();
                    PipelineGauges.Sample latest = samples.isEmpty() ? null : samples.lastEntry().getValue();
                    log.printf(Locale.ROOT, "  soak %s of %s: %d sent, %d finals (%.1f img/s in the last %d s), %d in "
                            + "flight%s%n", clock(now), clock(end), sent, received,
                            (received - finishedAtLastLine) / (double) PROGRESS.toSeconds(), PROGRESS.toSeconds(),
                            sent - received, latest == null ? "" : ", " + lagLine(latest.lag()));
                    log.flush();
                    finishedAtLastLine = received;
                }
                List<String> gone = exited.get();
                if (!gone.isEmpty() && now < end) {
                    log.println("  stopping the soak early: " + gone + " exited (see their logs)");
                    end = now;
                }
                if (now >= end && drainStart < 0) {
                    sampler.shutdownNow();
                    // The gauges at the end of the last interval, whenever the sampler last ran.
                    samples.put(now, gauges.sample());
                    drainStart = now;
                    drainDeadline = now + settings.drainTimeout().toNanos();
                    log.printf(Locale.ROOT, "  sending done: %d sent, %d finals; waiting up to %d s for the rest%n",
                            sent, received, settings.drainTimeout().toSeconds());
                }
                if (drainStart >= 0 && drainEnd < 0 && (received >= sent || now >= drainDeadline)) {
                    drainEnd = now;
                    repeatWatchEnd = now + REPEAT_WATCH.toNanos();
                }
                if (now >= repeatWatchEnd) {
                    break;
                }
            }
            producer.flush();
        } finally {
            sampler.shutdownNow();
        }
        try {
            sampler.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<SoakInterval> figures = intervals(settings, samples, submittedIn, latencies,
                Math.min(lengthNanos, drainStart));
        SoakChecks.Finals finals = new SoakChecks.Finals(sent, sent - received, duplicates, notDecided);
        return new Outcome(figures, finals, (drainEnd - drainStart) / 1e9, drainFinals);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, Submissions.Submission s,
            AtomicReference<Exception> failure) {
        byte[] value = Topics.INGEST.valueSerde().serializer().serialize(Topics.INGEST.name(),
                s.toRecord(Instant.now(), null));
        producer.send(new ProducerRecord<>(Topics.INGEST.name(), s.imageId().getBytes(StandardCharsets.UTF_8), value),
                (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
    }

    /**
     * The intervals' figures from the samples (keyed by nanoseconds from the start): interval k holds the samples
     * taken in (k * I, (k + 1) * I], the first also the one at the start, so each interval's last sample is the one at
     * its end.
     */
    static List<SoakInterval> intervals(Settings settings, Map<Long, PipelineGauges.Sample> samples,
            int[] submittedIn, List<List<Double>> latencies, long ranNanos) {
        long intervalNanos = settings.interval().toNanos();
        List<SoakInterval> figures = new ArrayList<>();
        Map.Entry<Long, PipelineGauges.Sample> previous = null;
        for (int k = 0; k < settings.intervals(); k++) {
            long from = k * intervalNanos;
            long to = Math.min(ranNanos, (k + 1) * intervalNanos);
            if (to <= from) {
                break;
            }
            Map<String, Long> lagMax = new TreeMap<>();
            Map<String, Long> lagEnd = new TreeMap<>();
            Map<String, SoakInterval.Range> rss = new LinkedHashMap<>();
            Map<String, Double> heapEnd = new LinkedHashMap<>();
            Map.Entry<Long, PipelineGauges.Sample> first = previous;
            Map.Entry<Long, PipelineGauges.Sample> last = null;
            for (Map.Entry<Long, PipelineGauges.Sample> entry : samples.entrySet()) {
                long at = entry.getKey();
                if (!(at > from || k == 0) || at > to) {
                    continue;
                }
                PipelineGauges.Sample sample = entry.getValue();
                first = first == null ? entry : first;
                last = entry;
                sample.lag().forEach((group, lag) -> {
                    lagMax.merge(group, lag, Math::max);
                    lagEnd.put(group, lag);
                });
                sample.rssMb().forEach((process, mb) -> rss.merge(process, SoakInterval.Range.of(mb),
                        (range, one) -> range.with(mb)));
                sample.heapMb().forEach(heapEnd::put);
            }
            Map<String, Double> pace = new TreeMap<>();
            if (first != null && last != null && last.getKey() > first.getKey()) {
                double seconds = (last.getKey() - first.getKey()) / 1e9;
                Map<String, Long> before = first.getValue().committed();
                last.getValue().committed().forEach((group, done) -> pace.put(group,
                        (done - before.getOrDefault(group, done)) / seconds));
            }
            previous = last != null ? last : previous;
            double[] ms = toArray(latencies.get(k));
            figures.add(new SoakInterval(k + 1, k < settings.warmUpIntervals(), (to - from) / 1e9, submittedIn[k],
                    ms.length, PipelineReport.nearestRank(ms, 50), PipelineReport.nearestRank(ms, 99), lagMax, lagEnd,
                    pace, rss, heapEnd));
        }
        return figures;
    }

    private static String lagLine(Map<String, Long> lag) {
        return lag.entrySet().stream().max(Map.Entry.comparingByValue())
                .map(e -> "highest lag " + e.getValue() + " (" + SoakChecks.shortName(e.getKey()) + ")")
                .orElse("no lag read yet");
    }

    static String clock(long nanos) {
        long seconds = Math.round(nanos / 1e9);
        return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
