package dev.aidetect.classifier.messaging;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;

import dev.aidetect.classifier.Records;

/** Reads the classifier's in-memory outputs, one image id at a time. */
final class Outputs {
    private final InMemoryConnector connector;

    Outputs(InMemoryConnector connector) {
        this.connector = connector;
    }

    void send(String channel, Message<ConsumerRecords<String, byte[]>> poll) {
        connector.<Message<ConsumerRecords<String, byte[]>>>source(channel).send(poll);
    }

    /** Waits for the one message keyed {@code imageId} on {@code channel}. */
    <T> Message<T> awaitOne(String channel, String imageId) {
        InMemorySink<T> sink = connector.sink(channel);
        await().atMost(Duration.ofSeconds(20)).until(() -> !keyed(sink, imageId).isEmpty());
        List<Message<T>> found = keyed(sink, imageId);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " messages for " + imageId + " on " + channel);
        }
        return found.getFirst();
    }

    /** Messages on {@code channel} keyed {@code imageId}, so far. */
    <T> List<Message<T>> keyed(String channel, String imageId) {
        return keyed(connector.<T>sink(channel), imageId);
    }

    @SuppressWarnings("unchecked")
    private static <T> List<Message<T>> keyed(InMemorySink<T> sink, String imageId) {
        return List.copyOf(sink.received()).stream()
                .filter(m -> imageId.equals(Records.keyOf(m)))
                .map(m -> (Message<T>) m)
                .toList();
    }
}
