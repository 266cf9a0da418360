package dev.aidetect.tools.submit;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;

import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageSubmissions;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.KafkaClientSettings;
import dev.aidetect.tools.cli.FailureLine;
import dev.aidetect.tools.dataset.LabelledImage;

/**
 * Sends images to {@code images.ingest} and collects their final verdicts from {@code verdicts.final} (as a
 * {@code read_committed} consumer, so only verdicts of committed router transactions count). The verdict consumer is
 * positioned before anything is sent, so no verdict can be missed.
 *
 * <p>
 * Files are read one at a time as they are sent, and at most {@code maxInFlightBytes} of their bytes wait for the
 * broker at once: a folder of any size streams through without being held in memory.
 */
public final class Submitter implements AutoCloseable {
    /** Bytes of images read but not yet taken by the broker, by default: a few phone photos' worth. */
    public static final int DEFAULT_IN_FLIGHT_BYTES = 64 << 20;
    /** What a URI submission counts for against the in-flight bound. */
    private static final int URI_RECORD_BYTES = 1024;

    private final IngestSender sender;
    private final KafkaConsumer<String, FinalVerdict> verdicts;
    private final String source;

    /** A submitter to a plaintext cluster (the local stack, tests). */
    public Submitter(String bootstrapServers, String source) {
        this(KafkaClientSettings.plaintext(bootstrapServers), source, DEFAULT_IN_FLIGHT_BYTES);
    }

    /**
     * @param cluster the cluster and its client settings
     * @param source recorded on every submission
     * @param maxInFlightBytes most bytes of read images not yet acknowledged by the broker
     */
    public Submitter(KafkaClientSettings cluster, String source, int maxInFlightBytes) {
        if (maxInFlightBytes < URI_RECORD_BYTES) {
            throw new IllegalArgumentException("maxInFlightBytes must be at least " + URI_RECORD_BYTES);
        }
        this.source = source;
        this.sender = new IngestSender(cluster, maxInFlightBytes);
        this.verdicts = new KafkaConsumer<>(cluster.consumer(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")),
                Topics.FINAL.keySerde().deserializer(), Topics.FINAL.valueSerde().deserializer());
        List<TopicPartition> partitions = verdicts.partitionsFor(Topics.FINAL.name(), Duration.ofSeconds(30))
                .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        verdicts.assign(partitions);
        verdicts.seekToEnd(partitions);
        partitions.forEach(verdicts::position);
    }

    /** What {@link #submit} did: the images the broker took, by image id in sending order, and those it refused. */
    public record Submission(Map<String, LabelledImage> sent, List<Refusal> refused) {
    }

    /** An image that never reached {@code images.ingest}, and why: it will have no final verdict. */
    public record Refusal(LabelledImage image, String reason) {
    }

    /** What {@link #send} did: the images the broker took, by image id in sending order, and those it refused. */
    public record Sent(Map<String, ImageSource> sent, List<Refused> refused) {
    }

    /** An image or URI that never reached {@code images.ingest}, and why: it will have no final verdict. */
    public record Refused(ImageSource source, String reason) {
    }

    /**
     * Sends each image inline and waits until the broker has taken each one or refused it; a refused image has no
     * record in the pipeline, so it is reported here rather than missed later.
     */
    public Submission submit(List<LabelledImage> images) {
        Sent sent = send(images.stream().map(ImageSource::file).toList(), done -> {
        });
        Map<String, LabelledImage> files = new LinkedHashMap<>();
        sent.sent().forEach((id, source) -> files.put(id, source.image()));
        return new Submission(files, sent.refused().stream().map(r -> new Refusal(r.source().image(), r.reason()))
                .toList());
    }

    /**
     * Sends each file inline and each URI by reference, reading a file only when the in-flight bound has room for it,
     * and waits until the broker has taken or refused each one. A file that cannot be read is refused, not fatal.
     *
     * @param progress told how many the broker has answered so far, as answers come
     */
    public Sent send(List<ImageSource> sources, IntConsumer progress) {
        record Pending(String id, ImageSource source, int size, CompletableFuture<Void> ack) {
        }
        List<Pending> pending = new ArrayList<>(sources.size());
        AtomicInteger answered = new AtomicInteger();
        for (ImageSource image : sources) {
            String id = null;
            int permits = sender.reserve(image.isUri() ? URI_RECORD_BYTES : sizeOrZero(image));
            CompletableFuture<Void> ack;
            int size = 0;
            try {
                ImageSubmitted record;
                if (image.isUri()) {
                    record = ImageSubmissions.byUri(image.uri(), source, Map.of(), Instant.now());
                } else {
                    byte[] bytes = Files.readAllBytes(image.image().file());
                    size = bytes.length;
                    record = ImageSubmissions.inline(image.name(), bytes, source, image.label(), Map.of(),
                            Instant.now());
                }
                id = record.getImageId();
                ack = sender.send(record, sender.hold(permits, size));
            } catch (IOException e) {
                sender.cancel(new IngestSender.Reservation(permits, 0));
                ack = CompletableFuture.failedFuture(e);
            }
            ack.whenComplete((ok, failure) -> progress.accept(answered.incrementAndGet()));
            pending.add(new Pending(id, image, size, ack));
        }
        sender.flush();
        Map<String, ImageSource> sent = new LinkedHashMap<>();
        List<Refused> refused = new ArrayList<>();
        for (Pending p : pending) {
            try {
                p.ack().get();
                sent.put(p.id(), p.source());
            } catch (ExecutionException e) {
                refused.add(new Refused(p.source(), refusal(p.size(), e.getCause())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending images to " + Topics.INGEST.name(), e);
            }
        }
        return new Sent(sent, refused);
    }

    /** The most bytes of read images that waited for the broker at once so far. */
    public long peakInFlightBytes() {
        return sender.peakInFlightBytes();
    }

    /** The file's size; 0 when it cannot be read (reading it then fails and refuses it, holding nothing meanwhile). */
    static long sizeOrZero(ImageSource image) {
        try {
            return Files.size(image.image().file());
        } catch (IOException e) {
            return 0;
        }
    }

    private static String refusal(int size, Throwable cause) {
        if (cause instanceof RecordTooLargeException) {
            return String.format("%.1f MiB is more than %s takes (%s); raise the topic's max.message.bytes (the "
                    + "pipeline creates it with %d) or send the image by uri", size / 1048576.0, Topics.INGEST.name(),
                    cause.getMessage(), Topics.INGEST_MAX_MESSAGE_BYTES);
        }
        if (cause instanceof IOException) {
            return "cannot read it: " + FailureLine.of(cause);
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
        sender.close();
        verdicts.close(Duration.ofSeconds(5));
    }
}
