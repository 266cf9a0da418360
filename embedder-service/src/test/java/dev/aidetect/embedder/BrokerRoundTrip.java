package dev.aidetect.embedder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.aidetect.embedding.TestSubmissions;
import dev.aidetect.kafka.KafkaEndpoint;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.Topic;
import dev.aidetect.schemas.Topics;

/** Submits one image to a running embedder through the shared test broker and waits for its embedding. */
public final class BrokerRoundTrip {

    private BrokerRoundTrip() {
    }

    /** Publishes the image on images.ingest; fails on a rejection of any record, returns this image's embedding. */
    public static ImageEmbedding embed(String imageId, byte[] image, Duration deadline) throws Exception {
        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaEndpoint.bootstrapServers());
        try (var producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.INGEST.name(), imageId,
                    TestSubmissions.encode(TestSubmissions.inline(imageId, image)))).get();
        }
        return awaitEmbedding(Topics.EMBEDDED, imageId, deadline);
    }

    /** Waits for the image's embedding on {@code topic}; fails on a rejection of any record meanwhile. */
    public static ImageEmbedding awaitEmbedding(Topic<String, ImageEmbedding> topic, String imageId,
            Duration deadline) {
        AtomicReference<ImageEmbedding> embedding = new AtomicReference<>();
        Properties consumerConfig = new Properties();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaEndpoint.bootstrapServers());
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, imageId + "-" + topic.name());
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic.name(), Topics.REJECTED.name()));
            await().atMost(deadline).until(() -> {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    assertThat(record.topic()).as("record for %s", record.key()).isNotEqualTo(Topics.REJECTED.name());
                    if (imageId.equals(record.key())) {
                        embedding.set(topic.valueSerde().deserializer().deserialize(record.topic(), record.value()));
                    }
                }
                return embedding.get() != null;
            });
        }
        return embedding.get();
    }
}
