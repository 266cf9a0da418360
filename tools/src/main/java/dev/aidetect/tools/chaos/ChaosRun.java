package dev.aidetect.tools.chaos;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.Topics;
import dev.aidetect.tools.bench.PipelineFeed;
import dev.aidetect.tools.chaos.ChaosPlan.Target;
import dev.aidetect.tools.stack.LocalStack;
import dev.aidetect.tools.stack.StackService;

/**
 * One chaos run on a running {@link LocalStack}: submits the plan's images to {@code images.ingest} with at most
 * {@code inFlight} of them waiting for a final verdict, while a second thread kills (SIGKILL) and restarts the plan's
 * components when the final verdicts reach each kill's point ({@link ChaosPlan}). It watches {@code verdicts.final}
 * ({@code read_committed}), {@code images.embedded} and {@code verdicts.detection} for each component's next output
 * after its restart; when every image has a final verdict (or the timeout passed) it reads {@code verdicts.final} from
 * the start as a fresh {@code read_committed} consumer, the way a platform would, for the invariant.
 */
public final class ChaosRun {
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    /** After the last first verdict, how long the run keeps reading for a second one (a duplicate) to show. */
    private static final Duration DUPLICATE_WATCH = Duration.ofSeconds(5);
    public static final String SOURCE = "chaos";

    /**
     * @param plan what to kill when
     * @param images what to submit, in turn
     * @param phoneShare the share of phone-size photos, 0 to 1
     * @param inFlight the most images sent and without a final verdict at a time
     * @param timeout the longest the whole run may take
     * @param runId a prefix that makes this run's image ids unique
     */
    public record Settings(ChaosPlan plan, ChaosImages images, double phoneShare, int inFlight, Duration timeout,
            String runId) {
    }

    private final LocalStack stack;
    private final Settings settings;
    private final PrintWriter log;
    private final Outputs outputs = new Outputs();
    private final AtomicInteger finals = new AtomicInteger();
    private final AtomicInteger killsFired = new AtomicInteger();
    private final AtomicInteger killsBack = new AtomicInteger();
    private final List<ChaosOutcome.KillResult> kills = new CopyOnWriteArrayList<>();
    private final AtomicReference<RuntimeException> killFailure = new AtomicReference<>();
    private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
    private final long start = System.nanoTime();
    private volatile boolean stopped;
    /** Final verdicts beyond an image's first seen while the run read them (the run's own read sees them too). */
    private int streamDuplicates;

    private ChaosRun(LocalStack stack, Settings settings, PrintWriter log) {
        this.stack = stack;
        this.settings = settings;
        this.log = log;
    }

    /** Runs the plan on the stack (which it leaves running) and says what happened. */
    public static ChaosOutcome run(LocalStack stack, Settings settings, PrintWriter log) {
        return new ChaosRun(stack, settings, log).run();
    }

    private ChaosOutcome run() {
        ChaosPlan plan = settings.plan();
        List<String> ids = new ArrayList<>(plan.images());
        for (int i = 0; i < plan.images(); i++) {
            ids.add(String.format(Locale.ROOT, "%s-%05d", settings.runId(), i));
        }
        Thread killer = Thread.ofPlatform().name("chaos-killer").start(this::killAll);
        long lastFirst;
        try {
            lastFirst = feed(ids);
        } finally {
            stopped = true;
            try {
                killer.join(Duration.ofMinutes(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (killFailure.get() != null) {
            throw killFailure.get();
        }
        log.println("  reading verdicts.final from the start (read_committed) for the invariant");
        log.flush();
        Map<String, List<FinalVerdict>> verdicts = FinalVerdictLog.read(stack.bootstrapServers(), ids,
                Duration.ofMinutes(2));
        List<ChaosOutcome.Recovery> recoveries = outputs.recoveries(kills);
        return new ChaosOutcome(ids, verdicts, streamDuplicates, recoveries,
                outputs.phases(start, recoveries, lastFirst), (int) IntStream.range(0, ids.size())
                        .filter(i -> settings.images().pick(i, settings.phoneShare()).phone()).count());
    }

    /** The kills, one after the other, each when its point comes and the previous component is back. */
    private void killAll() {
        try {
            for (ChaosPlan.Kill kill : settings.plan().kills()) {
                while (finals.get() < kill.atFinals()) {
                    if (stopped) {
                        return;
                    }
                    Thread.sleep(20);
                }
                Instant killedAt = Instant.now();
                long killed = System.nanoTime();
                int at = finals.get();
                log.printf(Locale.ROOT, "  %5.1f s: kill %d/%d: SIGKILL %s (%d final verdicts so far)%n",
                        seconds(killed), kill.number(), settings.plan().kills().size(), kill.target().label(), at);
                log.flush();
                killsFired.set(kill.number());
                switch (kill.target()) {
                    case KAFKA -> stack.crashAndRestartBroker();
                    case EMBEDDER -> stack.crashAndRestart(StackService.EMBEDDER);
                    case CLASSIFIER -> stack.crashAndRestart(StackService.CLASSIFIER);
                    case ROUTER -> stack.crashAndRestart(StackService.ROUTER);
                }
                long ready = System.nanoTime();
                kills.add(new ChaosOutcome.KillResult(kill, seconds(killed), at, killedAt, killed, ready));
                killsBack.set(kill.number());
                log.printf(Locale.ROOT, "  %5.1f s: %s restarted and ready %.1f s after the kill%n", seconds(ready),
                        kill.target().label(), (ready - killed) / 1e9);
                log.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            killFailure.set(new IllegalStateException("a killed component did not come back: " + e.getMessage(), e));
        }
    }

    /**
     * Sends the images as the plan lets it and reads the final verdicts until each has one, or the time is up.
     *
     * @return when the last first final verdict arrived (nanoTime)
     */
    private long feed(List<String> ids) {
        ChaosPlan plan = settings.plan();
        Map<String, Integer> indexOf = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            indexOf.put(ids.get(i), i);
        }
        boolean[] seen = new boolean[ids.size()];
        int sent = 0;
        int received = 0;
        long lastFirst = start;
        long deadline = start + settings.timeout().toNanos();
        long nextProgress = start + PROGRESS_EVERY.toNanos();
        int receivedAtLastProgress = 0;
        String bootstrap = stack.bootstrapServers();
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, settings.timeout());
                KafkaConsumer<String, FinalVerdict> finalsConsumer = PipelineFeed.finalsConsumer(bootstrap);
                KafkaConsumer<byte[], byte[]> stageConsumer = stageOutputsFromEnd(bootstrap)) {
            long watchUntil = Long.MAX_VALUE;
            while (System.nanoTime() < watchUntil) {
                long now = System.nanoTime();
                if (now > deadline) {
                    log.printf("  the run's --timeout (%s) passed with %d of %d images sent and %d final verdicts%n",
                            settings.timeout(), sent, ids.size(), received);
                    break;
                }
                if (killFailure.get() != null) {
                    break;
                }
                if (sendFailure.get() != null) {
                    throw new IllegalStateException("an image could not be sent to images.ingest: "
                            + sendFailure.get().getMessage(), sendFailure.get());
                }
                while (sent < ids.size() && sent - received < settings.inFlight() && mayBeSent(sent, plan)) {
                    send(producer, ids.get(sent), sent);
                    sent++;
                }
                for (ConsumerRecord<String, FinalVerdict> record : finalsConsumer.poll(Duration.ofMillis(40))) {
                    Integer i = record.value() == null ? null : indexOf.get(record.value().getImageId());
                    if (i != null && seen[i]) {
                        streamDuplicates++;
                    } else if (i != null) {
                        seen[i] = true;
                        received++;
                        lastFirst = System.nanoTime();
                        outputs.arrived(Topics.FINAL.name(), lastFirst, record.timestamp());
                    }
                }
                finals.set(received);
                for (ConsumerRecord<byte[], byte[]> record : stageConsumer.poll(Duration.ofMillis(10))) {
                    outputs.arrived(record.topic(), System.nanoTime(), record.timestamp());
                }
                if (received == ids.size() && watchUntil == Long.MAX_VALUE) {
                    watchUntil = System.nanoTime() + DUPLICATE_WATCH.toNanos();
                }
                if (System.nanoTime() >= nextProgress) {
                    log.printf(Locale.ROOT,
                            "  %5.1f s: %d/%d final verdicts, %d sent, %.1f img/s lately; kills %d/%d%n",
                            seconds(System.nanoTime()), received, ids.size(), sent,
                            (received - receivedAtLastProgress) / (double) PROGRESS_EVERY.toSeconds(),
                            killsBack.get(), plan.kills().size());
                    log.flush();
                    receivedAtLastProgress = received;
                    nextProgress += PROGRESS_EVERY.toNanos();
                }
            }
            producer.flush();
        }
        return lastFirst;
    }

    /** Image {@code i} waits for every kill whose slice ends before it, and the after part for the last recovery. */
    private boolean mayBeSent(int i, ChaosPlan plan) {
        if (i >= plan.afterFrom()) {
            return killsBack.get() == plan.kills().size();
        }
        long due = plan.kills().stream().filter(k -> k.holdFrom() <= i).count();
        return killsFired.get() >= due;
    }

    private void send(KafkaProducer<byte[], byte[]> producer, String id, int i) {
        ChaosImages.Image image = settings.images().pick(i, settings.phoneShare());
        ImageSubmitted record = ImageSubmitted.newBuilder().setImageId(id).setSubmittedAt(Instant.now())
                .setSource(SOURCE)
                .setImage(ImageContent.newBuilder().setContentType(image.contentType())
                        .setContent(ByteBuffer.wrap(image.bytes())).build())
                .setLabel(image.label())
                .setAttributes(Map.of("chaos.image", image.name(), "chaos.kind", image.phone() ? "phone" : "small"))
                .build();
        byte[] value = Topics.INGEST.valueSerde().serializer().serialize(Topics.INGEST.name(), record);
        producer.send(new ProducerRecord<>(Topics.INGEST.name(), id.getBytes(StandardCharsets.UTF_8), value),
                (metadata, e) -> {
                    if (e != null) {
                        sendFailure.compareAndSet(null, e);
                    }
                });
    }

    /**
     * A producer that rides out the broker's restarts: idempotent, acks from all, and a delivery timeout as long as the
     * run, so a record waits for the broker to come back instead of failing.
     */
    private static KafkaProducer<byte[], byte[]> producer(String bootstrap, Duration runTimeout) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, runTimeout.toMillis()));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, runTimeout.toMillis());
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.INGEST_MAX_MESSAGE_BYTES);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 4L * Topics.INGEST_MAX_MESSAGE_BYTES);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The embedder's and the classifier's detection output from now on (only their arrival times matter). */
    private static KafkaConsumer<byte[], byte[]> stageOutputsFromEnd(String bootstrap) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        PipelineFeed.assignAtEnd(consumer, List.of(Topics.EMBEDDED.name(), Topics.DETECTION_VERDICTS.name()));
        return consumer;
    }

    private double seconds(long nanos) {
        return (nanos - start) / 1e9;
    }

    /** The topic on which a component's next output shows that it works again. */
    static String outputOf(Target target) {
        return switch (target) {
            case EMBEDDER -> Topics.EMBEDDED.name();
            case CLASSIFIER -> Topics.DETECTION_VERDICTS.name();
            case ROUTER, KAFKA -> Topics.FINAL.name();
        };
    }
}
