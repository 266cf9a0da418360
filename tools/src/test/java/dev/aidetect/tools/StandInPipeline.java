package dev.aidetect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.aidetect.kafka.KafkaEndpoint;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.Topic;
import dev.aidetect.schemas.Topics;

/**
 * A stand-in for the pipeline on the in-JVM broker: a thread that reads each submission on {@code images.ingest} that
 * a test picks and answers it as the test says (verdicts, finals), as the services would. Positioned at the end of
 * {@code images.ingest} before {@link #start} returns, so it sees everything the test sends afterwards.
 */
final class StandInPipeline implements AutoCloseable {
    /** Writes records of the stand-in's answers. */
    static final class Answers {
        private final KafkaProducer<String, byte[]> producer;

        private Answers(KafkaProducer<String, byte[]> producer) {
            this.producer = producer;
        }

        <V> void send(Topic<String, V> topic, String imageId, V value) {
            producer.send(new ProducerRecord<>(topic.name(), imageId,
                    topic.valueSerde().serializer().serialize(topic.name(), value)));
        }
    }

    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    private StandInPipeline(Predicate<ImageSubmitted> ours, BiConsumer<ImageSubmitted, Answers> answer)
            throws InterruptedException {
        String bootstrap = KafkaEndpoint.bootstrapServers();
        CountDownLatch positioned = new CountDownLatch(1);
        thread = Thread.ofPlatform().name("stand-in-pipeline").start(() -> {
            try (KafkaConsumer<String, ImageSubmitted> ingest = new KafkaConsumer<>(
                    Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    Topics.INGEST.keySerde().deserializer(), Topics.INGEST.valueSerde().deserializer());
                    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
                            new ByteArraySerializer())) {
                List<TopicPartition> partitions = ingest.partitionsFor(Topics.INGEST.name()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                ingest.assign(partitions);
                ingest.seekToEnd(partitions);
                partitions.forEach(ingest::position);
                positioned.countDown();
                Answers answers = new Answers(producer);
                while (!stop.get()) {
                    for (ConsumerRecord<String, ImageSubmitted> record : ingest.poll(Duration.ofMillis(200))) {
                        if (record.value() != null && ours.test(record.value())) {
                            answer.accept(record.value(), answers);
                            producer.flush();
                        }
                    }
                }
            }
        });
        assertThat(positioned.await(30, TimeUnit.SECONDS)).as("the stand-in pipeline is listening").isTrue();
    }

    /**
     * Starts the stand-in.
     *
     * @param ours the submissions of the test (others on the shared broker are left alone)
     * @param answer what it writes for each
     */
    static StandInPipeline start(Predicate<ImageSubmitted> ours, BiConsumer<ImageSubmitted, Answers> answer)
            throws InterruptedException {
        return new StandInPipeline(ours, answer);
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(10_000);
    }
}
