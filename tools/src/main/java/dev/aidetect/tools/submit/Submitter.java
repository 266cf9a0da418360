package dev.aidetect.tools.submit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;

import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.Topics;
import dev.aidetect.tools.dataset.LabelledImage;

/**
 * Sends images to {@code images.ingest} and collects their final verdicts from {@code verdicts.final} (as a
 * {@code read_committed} consumer, so only verdicts of committed router transactions count). The verdict consumer is
 * positioned before anything is sent, so no verdict can be missed.
 */
public final class Submitter implements AutoCloseable {
    private final KafkaProducer<String, ImageSubmitted> producer;
    private final KafkaConsumer<String, FinalVerdict> verdicts;
    private final String source;

    public Submitter(String bootstrapServers, String source) {
        this.source = source;
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerProps.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(Topics.INGEST_MAX_MESSAGE_BYTES));
        this.producer = new KafkaProducer<>(producerProps, Topics.INGEST.keySerde().serializer(),
                Topics.INGEST.valueSerde().serializer());
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.verdicts = new KafkaConsumer<>(consumerProps, Topics.FINAL.keySerde().deserializer(),
                Topics.FINAL.valueSerde().deserializer());
        List<TopicPartition> partitions = verdicts.partitionsFor(Topics.FINAL.name(), Duration.ofSeconds(30))
                .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        verdicts.assign(partitions);
        verdicts.seekToEnd(partitions);
        partitions.forEach(verdicts::position);
    }

    /** A fresh image id: the file's stem and a random suffix, so resubmitting the same file is a new case. */
    public static String newImageId(String stem) {
        byte[] suffix = new byte[4];
        ThreadLocalRandom.current().nextBytes(suffix);
        String clean = stem.replaceAll("[^A-Za-z0-9._-]", "_");
        return clean + "-" + HexFormat.of().formatHex(suffix);
    }

    /** What {@link #submit} did: the images the broker took, by image id in sending order, and those it refused. */
    public record Submission(Map<String, LabelledImage> sent, List<Refusal> refused) {
    }

    /** An image that never reached {@code images.ingest}, and why: it will have no final verdict. */
    public record Refusal(LabelledImage image, String reason) {
    }

    /**
     * Sends each image inline and waits until the broker has taken each one or refused it; a refused image has no
     * record in the pipeline, so it is reported here rather than missed later.
     */
    public Submission submit(List<LabelledImage> images) {
        record Pending(String id, LabelledImage image, int size, Future<RecordMetadata> ack) {
        }
        List<Pending> pending = new ArrayList<>(images.size());
        for (LabelledImage image : images) {
            String name = image.file().getFileName().toString();
            String id = newImageId(name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name);
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(image.file());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + image.file() + ": " + e.getMessage(), e);
            }
            ImageSubmitted record = ImageSubmitted.newBuilder()
                    .setImageId(id)
                    .setSubmittedAt(Instant.now())
                    .setSource(source)
                    .setImage(ImageContent.newBuilder().setContent(ByteBuffer.wrap(bytes)).build())
                    .setLabel(image.label())
                    .setAttributes(Map.of("file", name))
                    .build();
            pending.add(new Pending(id, image, bytes.length,
                    producer.send(new ProducerRecord<>(Topics.INGEST.name(), id, record))));
        }
        producer.flush();
        Map<String, LabelledImage> sent = new LinkedHashMap<>();
        List<Refusal> refused = new ArrayList<>();
        for (Pending p : pending) {
            try {
                p.ack().get();
                sent.put(p.id(), p.image());
            } catch (ExecutionException e) {
                refused.add(new Refusal(p.image(), refusal(p.size(), e.getCause())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending images to " + Topics.INGEST.name(), e);
            }
        }
        return new Submission(sent, refused);
    }

    private static String refusal(int size, Throwable cause) {
        if (cause instanceof RecordTooLargeException) {
            return String.format("%.1f MiB is more than %s takes (%s); raise the topic's max.message.bytes (the "
                    + "pipeline creates it with %d) or send the image by uri", size / 1048576.0, Topics.INGEST.name(),
                    cause.getMessage(), Topics.INGEST_MAX_MESSAGE_BYTES);
        }
        return "the broker did not take it: " + cause;
    }

    /**
     * Reads final verdicts until every id has one or the timeout passes, then keeps reading for {@code grace} to catch
     * duplicates. Each verdict of a wanted id is handed to {@code onVerdict} as it arrives.
     *
     * @return id -> every final verdict seen for it (exactly one when the invariant holds)
     */
    public Map<String, List<FinalVerdict>> await(Iterable<String> ids, Duration timeout, Duration grace,
            Consumer<FinalVerdict> onVerdict) {
        Map<String, List<FinalVerdict>> seen = new HashMap<>();
        ids.forEach(id -> seen.put(id, new ArrayList<>()));
        long deadline = System.nanoTime() + timeout.toNanos();
        long graceEnd = Long.MAX_VALUE;
        while (System.nanoTime() < Math.min(deadline, graceEnd)) {
            for (ConsumerRecord<String, FinalVerdict> record : verdicts.poll(Duration.ofMillis(200))) {
                List<FinalVerdict> list = seen.get(record.key());
                if (list != null && record.value() != null) {
                    list.add(record.value());
                    onVerdict.accept(record.value());
                }
            }
            if (graceEnd == Long.MAX_VALUE && seen.values().stream().noneMatch(List::isEmpty)) {
                graceEnd = System.nanoTime() + grace.toNanos();
            }
        }
        return seen;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
        verdicts.close(Duration.ofSeconds(5));
    }
}
