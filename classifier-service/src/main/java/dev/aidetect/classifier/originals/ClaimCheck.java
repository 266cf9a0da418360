package dev.aidetect.classifier.originals;

import org.apache.kafka.common.TopicPartition;

/**
 * Where an image submitted inline lies on Kafka: the topic, partition and offset of its {@code ImageSubmitted} record
 * on {@code images.ingest}, as a request's {@code original} names it.
 */
public record ClaimCheck(String topic, int partition, long offset) {

    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    @Override
    public String toString() {
        return topic + " partition " + partition + " offset " + offset;
    }
}
