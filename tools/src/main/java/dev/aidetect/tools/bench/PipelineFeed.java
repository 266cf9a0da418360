package dev.aidetect.tools.bench;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.Topics;
import dev.aidetect.tools.cli.Progress;

/**
 * The pipeline run of {@code bench pipeline}: sends the planned submissions to {@code images.ingest} with at most
 * {@code inFlight} of them waiting for their final verdict at any time (a steady stream that keeps every stage busy
 * without piling the whole run up in front of the first one), and reads {@code verdicts.final} as a
 * {@code read_committed} consumer, positioned before the first send. The first {@code warmUp} finals are the warm-up;
 * the rate is the finals after them over the time they took ({@link RateWindow}); latency is each timed image's send
 * to the arrival of its final here, as a platform would see it.
 */
public final class PipelineFeed {
    private static final Duration POLL = Duration.ofMillis(50);

    /**
     * What the run measured.
     *
     * @param window the timed window (finals per second)
     * @param latenciesMs send to final of each timed image that got one
     * @param finals every final verdict, by submission index (null where none came)
     * @param duplicates final verdicts beyond the first for an image (the invariant says none)
     * @param processes CPU seconds in the window and peak RSS of each process
     * @param sent where each submission landed, for the stage runs
     * @param idle how much of the machine's CPU time went idle in the window ({@link MachineIdle})
     */
    record Outcome(RateWindow window, double[] latenciesMs, FinalVerdict[] finals, int duplicates,
            Map<String, ProcessFigures.Usage> processes, List<TopicRecording.SentSubmission> sent, String idle) {
    }

    private PipelineFeed() {
    }

    /**
     * @param maxWindow the longest timed window (sending stops when it ends), or null to time every submission
     * @param figures the processes whose CPU time the window is charged
     */
    static Outcome run(String bootstrap, List<Submissions.Submission> plan, int warmUp, int inFlight,
            Duration maxWindow, Duration timeout, ImageStore store, ProcessFigures figures, PrintWriter log) {
        int total = plan.size();
        Map<String, Integer> indexOf = new HashMap<>();
        plan.forEach(s -> indexOf.put(s.imageId(), s.index()));
        long[] sentNanos = new long[total];
        long[] arrivedNanos = new long[total];
        Instant[] submittedAt = new Instant[total];
        TopicRecording.SentSubmission[] landed = new TopicRecording.SentSubmission[total];
        FinalVerdict[] finals = new FinalVerdict[total];
        AtomicReference<Exception> sendFailure = new AtomicReference<>();
        RateWindow window = new RateWindow(warmUp, total, maxWindow);
        IntConsumer progress = Progress.counter("final verdicts", total, log);
        Map<String, Double> cpuStart = null;
        Map<String, ProcessFigures.Usage> usage = null;
        MachineIdle idle = null;
        String idleReport = "";
        int sent = 0;
        int received = 0;
        int duplicates = 0;
        boolean feeding = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaProducer<byte[], byte[]> producer = TopicRecording.producer(bootstrap);
                KafkaConsumer<String, FinalVerdict> consumer = finalsConsumer(bootstrap)) {
            while (feeding || received < sent) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + received + " of " + sent + " submitted images got a "
                            + "final verdict within " + timeout + "; see the services' logs (pipeline/logs in the "
                            + "work folder) or give a longer --timeout");
                }
                if (sendFailure.get() != null) {
                    throw new IllegalStateException("a submission could not be sent to images.ingest: "
                            + sendFailure.get().getMessage(), sendFailure.get());
                }
                while (feeding && sent < total && sent - received < inFlight) {
                    Submissions.Submission s = plan.get(sent);
                    int i = sent;
                    submittedAt[i] = Instant.now();
                    byte[] value = Topics.INGEST.valueSerde().serializer().serialize(Topics.INGEST.name(),
                            s.toRecord(submittedAt[i], store));
                    sentNanos[i] = System.nanoTime();
                    producer.send(new ProducerRecord<>(Topics.INGEST.name(),
                            s.imageId().getBytes(StandardCharsets.UTF_8), value), (metadata, e) -> {
                                if (e != null) {
                                    sendFailure.compareAndSet(null, e);
                                } else {
                                    landed[i] = new TopicRecording.SentSubmission(s, submittedAt[i],
                                            metadata.partition(), metadata.offset(), metadata.timestamp());
                                }
                            });
                    sent++;
                }
                feeding &= sent < total;
                for (ConsumerRecord<String, FinalVerdict> record : consumer.poll(POLL)) {
                    FinalVerdict verdict = record.value();
                    Integer i = verdict == null ? null : indexOf.get(verdict.getImageId());
                    if (i == null) {
                        continue;
                    }
                    if (finals[i] != null) {
                        duplicates++;
                        continue;
                    }
                    finals[i] = verdict;
                    arrivedNanos[i] = System.nanoTime();
                    progress.accept(++received);
                }
                boolean wasOpen = window.opened();
                window.advance(System.nanoTime(), received);
                if (!wasOpen && window.opened()) {
                    cpuStart = figures.mark();
                    idle = new MachineIdle();
                }
                if (window.closed() && usage == null) {
                    usage = figures.since(cpuStart);
                    idleReport = idle.report();
                    feeding = false;
                }
            }
            producer.flush();
        }
        if (sendFailure.get() != null) {
            throw new IllegalStateException("a submission could not be sent to images.ingest: "
                    + sendFailure.get().getMessage(), sendFailure.get());
        }
        List<Double> latencies = new ArrayList<>();
        List<TopicRecording.SentSubmission> sentList = new ArrayList<>();
        for (int i = 0; i < sent; i++) {
            sentList.add(landed[i]);
            if (i >= warmUp && finals[i] != null) {
                latencies.add((arrivedNanos[i] - sentNanos[i]) / 1e6);
            }
        }
        return new Outcome(window, latencies.stream().mapToDouble(Double::doubleValue).toArray(),
                Arrays.copyOf(finals, sent), duplicates, usage, sentList, idleReport);
    }

    /** Reads verdicts.final from its current end, committed transactions only, assigned (no group to join). */
    public static KafkaConsumer<String, FinalVerdict> finalsConsumer(String bootstrap) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, FinalVerdict> consumer = new KafkaConsumer<>(config,
                Topics.FINAL.keySerde().deserializer(), Topics.FINAL.valueSerde().deserializer());
        assignAtEnd(consumer, List.of(Topics.FINAL.name()));
        return consumer;
    }

    /** Assigns every partition of the topics and positions the consumer at their current end. */
    public static void assignAtEnd(KafkaConsumer<?, ?> consumer, List<String> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }
}
