package dev.aidetect.classifier.originals;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.jboss.logging.Logger;

import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Topics;

/**
 * Reads the {@code images.ingest} records that claim checks name: one Kafka consumer with no group, assigned the
 * partitions it needs and sought to the offsets, {@code read_committed}, fetching records as large as images.ingest
 * takes. A window's claim checks are read together: grouped by partition, every partition read forward in offset order
 * at once, with a seek only where the next wanted offset is not the next record, so neighbouring images come in one
 * fetch. An offset retention has deleted, or that no committed record holds, is a clear MISSING_CONTENT; a read that
 * does not finish in time is UNAVAILABLE (retryable: the broker was slow or away, the record may still be there).
 *
 * <p>
 * A Kafka consumer is not thread-safe: each input channel has its own reader (its polls are decided one at a time), and
 * reads are synchronized so that a stray second caller waits instead of corrupting the consumer.
 */
final class ClaimCheckReader implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ClaimCheckReader.class);
    private static final Duration POLL = Duration.ofMillis(500);

    /** What reading one claim check gave. */
    sealed interface Read {
        /** The record's value, as the producer wrote it. */
        record Found(byte[] value) implements Read {
        }

        /** No record to read; {@code message} says why and what to change. */
        record Unavailable(RejectReason reason, String message) implements Read {
        }
    }

    private final Supplier<Consumer<String, byte[]>> consumers;
    private final Duration timeout;
    private final String timeoutSetting;
    private Consumer<String, byte[]> consumer;
    private boolean closed;

    /**
     * @param consumers makes the consumer (on first read, and again after one failed)
     * @param timeout the longest one {@link #read} may take
     * @param timeoutSetting the setting that sets {@code timeout}, named when a read runs out of time
     */
    ClaimCheckReader(Supplier<Consumer<String, byte[]>> consumers, Duration timeout, String timeoutSetting) {
        this.consumers = consumers;
        this.timeout = timeout;
        this.timeoutSetting = timeoutSetting;
    }

    /**
     * The consumer settings of a claim-check reader: the service's shared Kafka settings (bootstrap servers, security),
     * without a group, reading only committed records, with fetches large enough for the biggest images.ingest record.
     *
     * @param shared the Kafka settings every client of the service takes (Quarkus' {@code kafka.*})
     */
    static Map<String, Object> consumerConfig(Map<String, Object> shared, String clientId) {
        Map<String, Object> config = new HashMap<>(shared);
        // Assigned and sought, never subscribed: no group, nothing committed (the shared settings name the channels').
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A sought offset that is gone is an error to report, never a silent jump to another record.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        // A record of an aborted or open transaction was never submitted.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // One fetch brings the largest record images.ingest takes, and neighbouring ones with it.
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Math.max(Topics.INGEST_MAX_MESSAGE_BYTES,
                intSetting(shared, ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG)));
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Math.max(Topics.INGEST_MAX_MESSAGE_BYTES,
                intSetting(shared, ConsumerConfig.FETCH_MAX_BYTES_CONFIG)));
        return config;
    }

    /**
     * Reads every claim check; returns what each gave. Never throws for a broker problem: what could not be read
     * within the timeout is {@link Read.Unavailable} UNAVAILABLE.
     *
     * @throws IllegalStateException when the reader is closed (the service is stopping)
     */
    synchronized Map<ClaimCheck, Read> read(Collection<ClaimCheck> wanted) {
        if (closed) {
            throw new IllegalStateException("the claim-check reader is closed: the classifier is shutting down");
        }
        Map<ClaimCheck, Read> reads = new HashMap<>();
        Map<TopicPartition, NavigableSet<Long>> pending = new HashMap<>();
        for (ClaimCheck check : wanted) {
            pending.computeIfAbsent(check.topicPartition(), p -> new TreeSet<>()).add(check.offset());
        }
        if (pending.isEmpty()) {
            return reads;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (consumer == null) {
                consumer = consumers.get();
            }
            dropPartitionsThatDoNotExist(pending, reads, deadline);
            consumer.assign(pending.keySet());
            dropOffsetsOutsideThePartitions(pending, reads, deadline);
            pending.forEach((partition, offsets) -> consumer.seek(partition, offsets.first()));
            while (!pending.isEmpty() && System.nanoTime() < deadline) {
                pollOnce(pending, reads, deadline);
            }
        } catch (InterruptException e) {
            discardConsumer();
            throw e;
        } catch (KafkaException e) {
            LOG.warnf(e, "Reading %d claim checks failed; the next read starts a new consumer", wanted.size());
            discardConsumer();
            unavailable(pending, reads, RejectReason.UNAVAILABLE, p -> "could not be read (" + e + "): check that "
                    + "the broker is reachable with the classifier's kafka.* settings");
        } finally {
            if (consumer != null) {
                // Drops what was fetched ahead: memory is held only while a window is read.
                consumer.assign(List.of());
            }
        }
        unavailable(pending, reads, RejectReason.UNAVAILABLE, p -> "was not read within " + timeout.toMillis()
                + " ms (" + timeoutSetting + "): check that the broker is reachable and not overloaded, or raise it");
        return reads;
    }

    private void pollOnce(Map<TopicPartition, NavigableSet<Long>> pending, Map<ClaimCheck, Read> reads,
            long deadline) {
        try {
            Duration wait = Duration.ofNanos(Math.max(0, Math.min(deadline - System.nanoTime(), POLL.toNanos())));
            for (ConsumerRecord<String, byte[]> record : consumer.poll(wait)) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                NavigableSet<Long> offsets = pending.get(partition);
                if (offsets != null && offsets.remove(record.offset())) {
                    reads.put(new ClaimCheck(record.topic(), record.partition(), record.offset()),
                            new Read.Found(record.value()));
                }
            }
        } catch (OffsetOutOfRangeException e) {
            // Retention deleted the segment between the check of the partition's start and the fetch.
            for (TopicPartition partition : e.offsetOutOfRangePartitions().keySet()) {
                NavigableSet<Long> offsets = pending.remove(partition);
                if (offsets != null) {
                    offsets.forEach(offset -> reads.put(new ClaimCheck(partition.topic(), partition.partition(),
                            offset), expired(partition, offset, -1)));
                    consumer.pause(List.of(partition));
                }
            }
            return;
        }
        for (Iterator<Map.Entry<TopicPartition, NavigableSet<Long>>> it = pending.entrySet().iterator(); it
                .hasNext();) {
            Map.Entry<TopicPartition, NavigableSet<Long>> entry = it.next();
            TopicPartition partition = entry.getKey();
            NavigableSet<Long> offsets = entry.getValue();
            long position = consumer.position(partition);
            // The consumer moved past an offset without returning it: no committed record is there.
            while (!offsets.isEmpty() && offsets.first() < position) {
                long offset = offsets.pollFirst();
                reads.put(new ClaimCheck(partition.topic(), partition.partition(), offset),
                        new Read.Unavailable(RejectReason.MISSING_CONTENT, "no committed record is at offset " + offset
                                + " of " + partition.topic() + " partition " + partition.partition()
                                + " (an aborted transaction's record or a transaction marker): the request's original "
                                + "must name the submission's record"));
            }
            if (offsets.isEmpty()) {
                consumer.pause(List.of(partition));
                it.remove();
            } else if (offsets.first() > position) {
                // Records between here and the next wanted one are other images: skip them rather than fetch them.
                consumer.seek(partition, offsets.first());
            }
        }
    }

    private void dropPartitionsThatDoNotExist(Map<TopicPartition, NavigableSet<Long>> pending,
            Map<ClaimCheck, Read> reads, long deadline) {
        Map<String, Integer> partitionCounts = new HashMap<>();
        for (Iterator<TopicPartition> it = pending.keySet().iterator(); it.hasNext();) {
            TopicPartition partition = it.next();
            int count = partitionCounts.computeIfAbsent(partition.topic(), topic -> {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, remaining(deadline));
                return infos == null ? 0 : infos.size();
            });
            if (partition.partition() >= count) {
                String why = count == 0
                        ? "topic " + partition.topic() + " does not exist"
                        : "topic " + partition.topic() + " has " + count + " partitions, none numbered "
                                + partition.partition();
                pending.get(partition).forEach(offset -> reads.put(new ClaimCheck(partition.topic(),
                        partition.partition(), offset),
                        new Read.Unavailable(RejectReason.MISSING_CONTENT, why
                                + ": the request's original must name the submission's images.ingest record")));
                it.remove();
            }
        }
    }

    private void dropOffsetsOutsideThePartitions(Map<TopicPartition, NavigableSet<Long>> pending,
            Map<ClaimCheck, Read> reads, long deadline) {
        if (pending.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> starts = consumer.beginningOffsets(pending.keySet(), remaining(deadline));
        // read_committed: the end is the last stable offset, past which no record is readable yet.
        Map<TopicPartition, Long> ends = consumer.endOffsets(pending.keySet(), remaining(deadline));
        for (Iterator<Map.Entry<TopicPartition, NavigableSet<Long>>> it = pending.entrySet().iterator(); it
                .hasNext();) {
            Map.Entry<TopicPartition, NavigableSet<Long>> entry = it.next();
            TopicPartition partition = entry.getKey();
            long start = starts.get(partition);
            long end = ends.get(partition);
            NavigableSet<Long> offsets = entry.getValue();
            while (!offsets.isEmpty() && offsets.first() < start) {
                long offset = offsets.pollFirst();
                reads.put(new ClaimCheck(partition.topic(), partition.partition(), offset),
                        expired(partition, offset, start));
            }
            while (!offsets.isEmpty() && offsets.last() >= end) {
                long offset = offsets.pollLast();
                reads.put(new ClaimCheck(partition.topic(), partition.partition(), offset),
                        new Read.Unavailable(RejectReason.MISSING_CONTENT, partition.topic() + " partition "
                                + partition.partition() + " has no committed record at offset " + offset
                                + " (it ends at offset " + end + "): the request's original must name the "
                                + "submission's record"));
            }
            if (offsets.isEmpty()) {
                it.remove();
            }
        }
    }

    /** @param start the partition's earliest offset, or -1 when not known */
    private static Read.Unavailable expired(TopicPartition partition, long offset, long start) {
        return new Read.Unavailable(RejectReason.MISSING_CONTENT, partition.topic() + " no longer holds offset "
                + offset + " of partition " + partition.partition()
                + (start >= 0 ? " (its earliest offset is " + start + ")" : "") + ": retention deleted the "
                + "submission before its case reached this stage, so " + partition.topic() + "'s retention is shorter "
                + "than the case. Raise the topic's retention.ms (and retention.bytes, if set) well above the longest "
                + "case (the router's aidetect.router.stage-timeout for each stage), e.g. kafka-configs.sh --alter "
                + "--entity-type topics --entity-name " + partition.topic() + " --add-config retention.ms=604800000");
    }

    private static void unavailable(Map<TopicPartition, NavigableSet<Long>> pending, Map<ClaimCheck, Read> reads,
            RejectReason reason, Function<TopicPartition, String> why) {
        pending.forEach((partition, offsets) -> offsets.forEach(offset -> {
            ClaimCheck check = new ClaimCheck(partition.topic(), partition.partition(), offset);
            reads.put(check, new Read.Unavailable(reason, "the image's record at " + check + " " + why.apply(
                    partition)));
        }));
        pending.clear();
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }

    private static int intSetting(Map<String, Object> config, String name) {
        Object value = config.get(name);
        return value == null ? 0 : Integer.parseInt(value.toString().trim());
    }

    private void discardConsumer() {
        if (consumer != null) {
            try {
                consumer.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debugf(e, "Closing a failed claim-check consumer");
            }
            consumer = null;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (consumer != null) {
            consumer.close();
            consumer = null;
        }
    }
}
