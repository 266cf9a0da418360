package dev.aidetect.router.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageReceived;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageRequest;
import dev.aidetect.schemas.Topic;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.DeadLetter;

/**
 * The router's topology in a {@link TopologyTestDriver}, driven as the other services would drive it: submit, embed,
 * send verdicts and rejections, let wall-clock time pass, and read what the router published.
 */
final class RouterDriver implements AutoCloseable {
    final AtomicLong openCases = new AtomicLong();
    final AtomicLong closedCases = new AtomicLong();
    final List<FinalVerdict> observedFinals = new CopyOnWriteArrayList<>();
    /** What the router's deserialization handler sent to its dead-letter topic. */
    final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();

    private final TopologyTestDriver driver;
    private final TestOutputTopic<String, FinalVerdict> finals;
    /** The longest a running router's punctuator is late without the router counting as held up. */
    private final Duration step;
    private final Duration tick;
    private boolean punctuated;

    RouterDriver(RouterSettings settings) {
        this(settings, Stores::persistentKeyValueStore);
    }

    /** A driver whose stores {@code stores} makes (in memory for many records: RocksDB flushes on every commit). */
    RouterDriver(RouterSettings settings, Function<String, KeyValueBytesStoreSupplier> stores) {
        this(settings, stores, Records.START);
    }

    /** A driver whose wall clock starts at {@code start}: a router started then, on {@code stores}. */
    RouterDriver(RouterSettings settings, Function<String, KeyValueBytesStoreSupplier> stores, Instant start) {
        tick = settings.punctuateInterval();
        step = Duration.ofMillis(CaseProcessor.pauseThreshold(settings));
        CaseObserver observer = new CaseObserver() {
            @Override
            public void openCasesChanged(long delta) {
                openCases.addAndGet(delta);
            }

            @Override
            public void closedCasesChanged(long delta) {
                closedCases.addAndGet(delta);
            }

            @Override
            public void finalized(FinalVerdict verdict) {
                observedFinals.add(verdict);
            }
        };
        driver = new TopologyTestDriver(CaseTopology.build(new StreamsBuilder(), settings, observer, stores),
                properties(deadLetters), start);
        finals = output(Topics.FINAL);
    }

    RouterDriver() {
        this(RouterSettings.defaults());
    }

    RouterDriver submit(String imageId) {
        return submit(Records.submission(imageId));
    }

    /** Sends the submission as the router receives it: the embedder's receipt, on images.received. */
    RouterDriver submit(ImageReceived submission) {
        return send(Topics.RECEIVED, submission.getImageId(), submission);
    }

    RouterDriver embed(String imageId) {
        return send(Topics.EMBEDDED, imageId, Records.embedding(imageId));
    }

    RouterDriver detect(String imageId, String decision) {
        return send(Topics.DETECTION_VERDICTS, imageId,
                Records.verdict(imageId, Stage.DETECTION, decision, "REAL".equals(decision) ? 0.1 : 0.9));
    }

    /** A detection verdict with {@code score} (the FAKE probability) against the records' threshold, 0.5. */
    RouterDriver detect(String imageId, String decision, double score) {
        return send(Topics.DETECTION_VERDICTS, imageId, Records.verdict(imageId, Stage.DETECTION, decision, score));
    }

    /** A final verdict the router did not publish in this run appears on verdicts.final (an earlier run wrote it). */
    RouterDriver publishFinal(FinalVerdict verdict) {
        return send(Topics.FINAL, verdict.getImageId(), verdict);
    }

    /** A tombstone on verdicts.final: the read-back store forgets the image's final. */
    RouterDriver tombstoneFinal(String imageId) {
        return publishRawFinal(imageId, null);
    }

    /** Any bytes on verdicts.final for {@code imageId}. */
    RouterDriver publishRawFinal(String imageId, byte[] value) {
        driver.createInputTopic(Topics.FINAL.name(), new StringSerializer(), new ByteArraySerializer())
                .pipeInput(imageId, value);
        return this;
    }

    RouterDriver classifyFamily(String imageId, String family) {
        return send(Topics.FAMILY_VERDICTS, imageId, Records.verdict(imageId, Stage.FAMILY, family, 0.8));
    }

    RouterDriver attribute(String imageId, String generator) {
        return send(Topics.ATTRIBUTION_VERDICTS, imageId, Records.verdict(imageId, Stage.ATTRIBUTION, generator, 0.7));
    }

    RouterDriver reject(String imageId, Stage stage, RejectReason reason, String message) {
        return send(Topics.REJECTED, imageId, Records.rejection(imageId, stage, reason, message));
    }

    /**
     * Lets wall-clock time pass while the router runs: its punctuator runs at least every few seconds of that time (as
     * often as a running router's may run late without counting as held up; fewer steps keep the tests fast).
     */
    RouterDriver advance(Duration duration) {
        Duration left = duration;
        if (!punctuated && left.compareTo(tick) > 0) {
            // The first punctuation comes on time: the router's start is one interval before it.
            driver.advanceWallClockTime(tick);
            left = left.minus(tick);
        }
        punctuated = punctuated || left.compareTo(tick) >= 0;
        while (left.compareTo(step) > 0) {
            driver.advanceWallClockTime(step);
            left = left.minus(step);
        }
        driver.advanceWallClockTime(left);
        return this;
    }

    /**
     * Lets wall-clock time pass while the router is held up (its stream thread blocked on an unreachable broker, the
     * process paused): the punctuator runs once, at the end.
     */
    RouterDriver pause(Duration duration) {
        punctuated = punctuated || duration.compareTo(tick) >= 0;
        driver.advanceWallClockTime(duration);
        return this;
    }

    /** Final verdicts published since the last call. */
    List<FinalVerdict> finals() {
        return finals.readValuesToList();
    }

    /** Requests published on {@code topic} since the last call. */
    List<StageRequest> requests(Topic<String, StageRequest> topic) {
        return output(topic).readValuesToList();
    }

    <V> KeyValueStore<String, V> store(String name) {
        return driver.getKeyValueStore(name);
    }

    /** The keys a store holds, counted one by one (RocksDB's own count is an estimate). */
    List<String> keys(String name) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, Object> all = this.<Object>store(name).all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
    }

    /** The one element of {@code records}, failing when there are none or several. */
    static <T> T single(List<T> records) {
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    @Override
    public void close() {
        driver.close();
    }

    /** Any key and bytes on one of the router's inputs, as a foreign producer may write them. */
    RouterDriver sendRaw(String topic, String key, byte[] value) {
        driver.createInputTopic(topic, new StringSerializer(), new ByteArraySerializer()).pipeInput(key, value);
        return this;
    }

    private <V> RouterDriver send(Topic<String, V> topic, String imageId, V value) {
        TestInputTopic<String, V> input = driver.createInputTopic(topic.name(), topic.keySerde().serializer(),
                topic.valueSerde().serializer());
        input.pipeInput(imageId, value);
        return this;
    }

    private <V> TestOutputTopic<String, V> output(Topic<String, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }

    private static Properties properties(List<DeadLetter> deadLetters) {
        Properties properties = new Properties();
        properties.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        properties.put(DeadLetterHandler.SINK, (Consumer<DeadLetter>) deadLetters::add);
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "router-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        try {
            Path stateDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "topology-test-state")),
                    "driver-");
            properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory for the test driver", e);
        }
        return properties;
    }
}
