package dev.aidetect.e2e;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.utils.Utils;

/**
 * librdkafka's default partitioner, {@code consistent_random}, for the Java producer: the CRC32 of the key bytes
 * modulo the partition count, and a random partition for a record with no key (or an empty one). It is what a
 * platform's Python, Go, Node or C uploader uses unless told otherwise, and it puts most keys on another partition
 * than the Java client's murmur2 does.
 */
public final class LibrdkafkaPartitioner implements Partitioner {

    /** The partition librdkafka's {@code consistent_random} gives {@code key} ({@code null}: none, it is random). */
    public static Integer partitionOf(byte[] key, int partitions) {
        if (key == null || key.length == 0) {
            return null;
        }
        CRC32 crc = new CRC32();
        crc.update(key);
        return (int) (crc.getValue() % partitions);
    }

    /** The partition the Java client's default partitioner gives {@code key}. */
    public static int javaClientPartitionOf(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes,
            Cluster cluster) {
        int partitions = cluster.partitionCountForTopic(topic);
        Integer partition = partitionOf(keyBytes, partitions);
        return partition != null ? partition : ThreadLocalRandom.current().nextInt(partitions);
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public void close() {
    }
}
