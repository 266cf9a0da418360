package dev.aidetect.tools.eval;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageVerdict;
import dev.aidetect.schemas.Topic;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.KafkaClientSettings;
import dev.aidetect.schemas.kafka.RecordDecodingException;
import dev.aidetect.tools.cli.CommandFailure;

/**
 * Reads what the pipeline decided on the images of one run, as a {@code read_committed} consumer of
 * {@code verdicts.final} and of the three stage verdict topics (so only verdicts of committed transactions count),
 * positioned at their ends before anything of the run is sent, so nothing is missed. It keeps the records of the run's
 * image ids (the images it is told to {@linkplain #expect expect}), the first final verdict of each, counts any
 * second one (the invariant says there is none), and notes when each final arrived.
 */
final class VerdictCollector implements AutoCloseable {
    private static final Map<String, Stage> STAGE_TOPICS = Map.of(Topics.DETECTION_VERDICTS.name(), Stage.DETECTION,
            Topics.FAMILY_VERDICTS.name(), Stage.FAMILY, Topics.ATTRIBUTION_VERDICTS.name(), Stage.ATTRIBUTION);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Set<String> expected = new LinkedHashSet<>();
    private final Map<String, FinalVerdict> finals = new LinkedHashMap<>();
    private final Map<String, Long> arrivedAtNanos = new HashMap<>();
    private final Map<String, Map<Stage, StageVerdict>> stages = new HashMap<>();
    private final Map<String, Integer> secondFinals = new LinkedHashMap<>();
    private long lastFinalNanos = System.nanoTime();
    private final EmbeddingSample embeddings;

    /**
     * Positions the reader; when {@code embeddings} is not {@code null}, it reads {@code images.embedded} too and
     * offers the run's embeddings to it (for the report's map).
     */
    VerdictCollector(KafkaClientSettings cluster, EmbeddingSample embeddings) {
        this.embeddings = embeddings;
        consumer = new KafkaConsumer<>(cluster.consumer(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")),
                new StringDeserializer(), new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            List<String> topics = new ArrayList<>(List.of(Topics.FINAL.name(), Topics.DETECTION_VERDICTS.name(),
                    Topics.FAMILY_VERDICTS.name(), Topics.ATTRIBUTION_VERDICTS.name()));
            if (embeddings != null) {
                topics.add(Topics.EMBEDDED.name());
            }
            for (String topic : topics) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
                if ((infos == null || infos.isEmpty()) && topic.equals(Topics.EMBEDDED.name())) {
                    continue; // no embedder wrote there (yet): the report goes without its map
                }
                if (infos == null || infos.isEmpty()) {
                    throw new CommandFailure("there is no topic " + topic + " on " + cluster.bootstrapServers()
                            + ": no pipeline has run there; start one (./aidetect up) or leave out "
                            + "--bootstrap-servers and eval starts its own");
                }
                infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
    }

    /** Counts {@code imageId} in: its records are kept, and it is missing until its final verdict comes. */
    void expect(String imageId) {
        expected.add(imageId);
    }

    /** Counts {@code imageId} out again: the broker refused it, so no verdict will come. */
    void forget(String imageId) {
        expected.remove(imageId);
    }

    /** Reads what came within {@code timeout}; returns how many expected images have their final verdict now. */
    int poll(Duration timeout) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            if (record.key() == null || !expected.contains(record.key()) || record.value() == null) {
                continue;
            }
            try {
                if (record.topic().equals(Topics.EMBEDDED.name())) {
                    embeddings.offer(decode(Topics.EMBEDDED, record));
                } else if (record.topic().equals(Topics.FINAL.name())) {
                    FinalVerdict verdict = decode(Topics.FINAL, record);
                    if (finals.putIfAbsent(record.key(), verdict) == null) {
                        arrivedAtNanos.put(record.key(), System.nanoTime());
                        lastFinalNanos = System.nanoTime();
                    } else {
                        secondFinals.merge(record.key(), 1, Integer::sum);
                    }
                } else {
                    StageVerdict verdict = decode(Topics.DETECTION_VERDICTS, record);
                    stages.computeIfAbsent(record.key(), id -> new EnumMap<>(Stage.class))
                            .putIfAbsent(STAGE_TOPICS.get(record.topic()), verdict);
                }
            } catch (RecordDecodingException e) {
                // Not a record this reader knows: the run's images are counted missing, which says enough.
            }
        }
        return finalsOfExpected();
    }

    private static <V> V decode(Topic<String, V> kind, ConsumerRecord<String, byte[]> record) {
        return kind.valueSerde().deserializer().deserialize(record.topic(), record.value());
    }

    private int finalsOfExpected() {
        return (int) expected.stream().filter(finals::containsKey).count();
    }

    /** Expected images still without a final verdict. */
    int missing() {
        return expected.size() - finalsOfExpected();
    }

    /** How long ago the last final verdict of the run came (or the collector started). */
    Duration sinceLastFinal() {
        return Duration.ofNanos(System.nanoTime() - lastFinalNanos);
    }

    FinalVerdict finalOf(String imageId) {
        return finals.get(imageId);
    }

    Map<Stage, StageVerdict> stagesOf(String imageId) {
        return stages.getOrDefault(imageId, Map.of());
    }

    /** When the final verdict of {@code imageId} arrived here (System.nanoTime), or {@code null}. */
    Long arrivedAtNanos(String imageId) {
        return arrivedAtNanos.get(imageId);
    }

    /** Second (and later) final verdicts by image id: empty when the invariant holds. */
    Map<String, Integer> secondFinals() {
        return Map.copyOf(secondFinals);
    }

    /**
     * What is missing, for a person: how many images have no final verdict, how far each got (the stage verdicts
     * that came for it), and a few of their ids.
     */
    String describeMissing(int examples) {
        List<String> ids = expected.stream().filter(id -> !finals.containsKey(id)).toList();
        Map<String, Long> byProgress = ids.stream().collect(Collectors.groupingBy(id -> {
            Set<Stage> got = stagesOf(id).keySet();
            return got.isEmpty() ? "no stage verdict (embedder or detection behind)" : "verdicts " + got;
        }, LinkedHashMap::new, Collectors.counting()));
        return ids.size() + " images have no final verdict: " + byProgress.entrySet().stream()
                .map(e -> e.getValue() + " with " + e.getKey()).collect(Collectors.joining(", "))
                + "; e.g. " + String.join(", ", ids.subList(0, Math.min(examples, ids.size())));
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
