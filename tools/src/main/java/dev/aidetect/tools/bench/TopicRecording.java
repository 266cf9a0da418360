package dev.aidetect.tools.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.aidetect.schemas.Topics;

/**
 * What the pipeline run wrote to the pipeline topics, kept to give each stage run alone the same input: every
 * committed record of the topics read (images.ingest aside: its records are the benchmark's own submissions, written
 * again from the plan, {@link #writeIngest}), with its partition, timestamp, key, value and headers. Written into
 * another broker with the same partition count, each record lands where it was, in the same order.
 */
final class TopicRecording {
    private static final Duration POLL = Duration.ofMillis(200);

    /** One record as the pipeline run left it. */
    record Recorded(String topic, int partition, long timestamp, byte[] key, byte[] value, Header[] headers) {
    }

    /** A submission as the pipeline run sent it: where it landed on images.ingest, and when. */
    record SentSubmission(Submissions.Submission submission, Instant submittedAt, int partition, long offset,
            long timestamp) {
    }

    private final Map<String, List<Recorded>> byTopic;

    private TopicRecording(Map<String, List<Recorded>> byTopic) {
        this.byTopic = byTopic;
    }

    /** Reads every committed record of {@code topics} from the start up to their current end. */
    static TopicRecording read(String bootstrap, Collection<String> topics, Duration timeout) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, List<Recorded>> byTopic = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                byTopic.put(topic, new ArrayList<>());
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read the pipeline run's topics back within " + timeout
                            + "; is the broker overloaded? Its log is in the pipeline phase's logs folder");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    byTopic.get(r.topic()).add(new Recorded(r.topic(), r.partition(), r.timestamp(), r.key(),
                            r.value(), r.headers().toArray()));
                }
            }
        }
        return new TopicRecording(byTopic);
    }

    /** Per image id, how many records of the recording mark the stage's progress on it (ids without any left out). */
    Map<String, Integer> progressRecordsByImage(PipelineStage stage) {
        Map<String, Integer> counts = new HashMap<>();
        for (String topic : stage.outputs()) {
            for (Recorded r : byTopic.getOrDefault(topic, List.of())) {
                if (r.key() != null && stage.counts(topic, r.value())) {
                    counts.merge(new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    /**
     * Writes the recorded records of {@code topics} that are about the images {@code ids} (by key), each to its
     * partition, in order, with its timestamp.
     */
    void writeInto(String bootstrap, List<String> topics, Set<String> ids) {
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (String topic : topics) {
                for (Recorded r : byTopic.getOrDefault(topic, List.of())) {
                    if (r.key() != null && ids.contains(new String(r.key(), StandardCharsets.UTF_8))) {
                        sends.add(producer.send(new ProducerRecord<>(topic, r.partition(), r.timestamp(), r.key(),
                                r.value(), List.of(r.headers()))));
                    }
                }
            }
            producer.flush();
            for (Future<RecordMetadata> send : sends) {
                await(send);
            }
        }
    }

    /**
     * Writes the submissions to images.ingest again, each to the partition and offset it had: the stages find pixels
     * by those coordinates in the records they are given. A later part of the run's submissions (by index) may follow
     * an earlier part: the offsets still match.
     *
     * @throws IllegalStateException when a record lands at another offset (the topic was not empty)
     */
    static void writeIngest(String bootstrap, List<SentSubmission> sent, ImageStore store) {
        List<SentSubmission> ordered = sent.stream().sorted(Comparator.comparingInt(SentSubmission::partition)
                .thenComparingLong(SentSubmission::offset)).toList();
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (SentSubmission s : ordered) {
                byte[] value = Topics.INGEST.valueSerde().serializer().serialize(Topics.INGEST.name(),
                        s.submission().toRecord(s.submittedAt(), store));
                sends.add(producer.send(new ProducerRecord<>(Topics.INGEST.name(), s.partition(), s.timestamp(),
                        s.submission().imageId().getBytes(StandardCharsets.UTF_8), value)));
            }
            producer.flush();
            for (int i = 0; i < ordered.size(); i++) {
                RecordMetadata landed = await(sends.get(i));
                SentSubmission s = ordered.get(i);
                if (landed.partition() != s.partition() || landed.offset() != s.offset()) {
                    throw new IllegalStateException("images.ingest record of " + s.submission().imageId()
                            + " landed at " + landed.partition() + "/" + landed.offset() + ", not at " + s.partition()
                            + "/" + s.offset() + " as in the pipeline run: the stage's broker was not fresh");
                }
            }
        }
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.INGEST_MAX_MESSAGE_BYTES);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 4L * Topics.INGEST_MAX_MESSAGE_BYTES);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static RecordMetadata await(Future<RecordMetadata> send) {
        try {
            return send.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not write a recorded record to the stage's broker: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing recorded records", e);
        }
    }
}
