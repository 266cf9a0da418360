package dev.aidetect.tools.submit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageSubmissions;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.KafkaClientSettings;
import dev.aidetect.tools.cli.FailureLine;
import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.train.TopicReplay;

/**
 * Re-publishes labelled images to {@code images.ingest} as a new run: {@code ImageSubmitted} records read from a
 * topic, or the files of a folder in the label layout. Each gets a fresh image id derived from the run id and its
 * original id ({@link #replayId}; a file's original id is its path in the folder), so a replay is a separate set of
 * cases beside the original, and the same replay run twice publishes the same ids. Its attributes keep {@code run} and
 * {@code original-image-id}; its source becomes {@code replay:<run>} (a topic record's own source kept in
 * {@code original-source}) unless asked to keep it. Label, content and the other attributes are kept;
 * {@code submittedAt} is now, so latencies are the replay's.
 */
public final class Replayer implements AutoCloseable {
    /** Attribute naming the run a record belongs to. */
    public static final String RUN = ImageSubmissions.RUN;
    /** Attribute keeping the id the image had where it was replayed from. */
    public static final String ORIGINAL_ID = "original-image-id";
    /** Attribute keeping the original source when the replay's source replaces it. */
    public static final String ORIGINAL_SOURCE = "original-source";
    /** What a run id may be: it becomes part of image ids and of a source name. */
    public static final Pattern RUN_ID = ImageSubmissions.RUN_ID;
    private static final int READABLE = 40;

    private final IngestSender sender;
    private final String run;
    private final boolean keepSource;
    private Publishing publishing = new Publishing();

    /**
     * What a replay did.
     *
     * @param ids the replay ids the broker took, in publishing order
     */
    public record Result(int published, int unlabelled, int skipped, List<String> refused, List<String> ids) {
    }

    /**
     * One record handed to the broker: its replay id, and the broker's answer (completed when it took the record,
     * failed when it refused it).
     */
    public record Published(String imageId, CompletableFuture<Void> ack) {
    }

    /**
     * @param run the run id, as {@link #RUN_ID} allows
     * @param keepSource whether records keep their source instead of taking {@code replay:<run>}
     */
    public Replayer(KafkaClientSettings cluster, String run, boolean keepSource, int maxInFlightBytes) {
        if (!RUN_ID.matcher(run).matches()) {
            throw new IllegalArgumentException("run id '" + run + "' may hold only letters, digits, '.', '_' and '-' "
                    + "(at most 64): it becomes part of every image id");
        }
        this.sender = new IngestSender(cluster, maxInFlightBytes);
        this.run = run;
        this.keepSource = keepSource;
    }

    /**
     * The replayed image's id: the run id, the original id's last part (readable), and 12 hex digits of the SHA-256 of
     * both (unique), so one original replayed in one run always gets the same id and no two differ only in the
     * readable part.
     */
    public static String replayId(String run, String originalId) {
        String last = originalId.substring(originalId.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        String readable = last.length() > READABLE ? last.substring(0, READABLE) : last;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((run + "\n" + originalId).getBytes(StandardCharsets.UTF_8));
            return run + "-" + readable + "-" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The record a replay publishes for {@code original}. */
    public ImageSubmitted replayed(ImageSubmitted original, Instant now) {
        return replayed(run, keepSource, original, now);
    }

    /**
     * The record run {@code run} publishes for {@code original}: what {@link #replayed(ImageSubmitted, Instant)} does,
     * for callers that replay without a broker ({@code eval --offline}).
     */
    public static ImageSubmitted replayed(String run, boolean keepSource, ImageSubmitted original, Instant now) {
        Map<String, String> attributes = new HashMap<>(original.getAttributes());
        attributes.put(RUN, run);
        attributes.put(ORIGINAL_ID, original.getImageId());
        String source = original.getSource();
        if (!keepSource) {
            if (source != null && !source.isEmpty()) {
                attributes.put(ORIGINAL_SOURCE, source);
            }
            source = replaySource(run);
        }
        return ImageSubmitted.newBuilder(original).setImageId(replayId(run, original.getImageId()))
                .setSubmittedAt(now).setSource(source).setAttributes(attributes).build();
    }

    /**
     * The record run {@code run} publishes for a file: its bytes inline, its label, the id {@link #replayId} makes
     * from {@code originalId}, attributes {@code file}, {@code run} and {@code original-image-id}.
     */
    public static ImageSubmitted fileRecord(String run, LabelledImage image, String originalId, byte[] bytes,
            Instant now) {
        return ImageSubmitted.newBuilder().setImageId(replayId(run, originalId)).setSubmittedAt(now)
                .setSource(replaySource(run)).setLabel(image.label())
                .setImage(ImageContent.newBuilder().setContent(ByteBuffer.wrap(bytes)).build())
                .setAttributes(Map.of("file", image.file().getFileName().toString(), RUN, run, ORIGINAL_ID,
                        originalId))
                .build();
    }

    /** The source a replayed record gets: {@code replay:<run>}. */
    public String replaySource() {
        return replaySource(run);
    }

    private static String replaySource(String run) {
        return "replay:" + run;
    }

    /**
     * Replays {@code topic} from its earliest offset to its end offsets now (records produced meanwhile are not
     * waited for). Records that are not {@code ImageSubmitted} are skipped and counted.
     *
     * @param progress makes, given the number of records to read, the counter of records read so far
     */
    public Result fromTopic(KafkaClientSettings cluster, String topic, IntFunction<IntConsumer> progress) {
        int undecodable = new TopicReplay<>(cluster, topic, Topics.INGEST).replay(original -> {
            if (original == null) {
                publishing.skipped.incrementAndGet();
                return;
            }
            publish(original);
        }, progress);
        publishing.skipped.addAndGet(undecodable);
        return finish();
    }

    /**
     * Replays the files under {@code dir} (label layout: {@code real/}, {@code fake/<family>/<generator>/}), each read
     * when the in-flight bound has room. A file's original id is its path under {@code dir}.
     *
     * @param progress told how many files have been handed to the broker so far
     */
    public Result fromDir(Path dir, IntConsumer progress) {
        int done = 0;
        for (LabelledImage image : LabelledImage.collect(List.of(dir))) {
            publishFile(image, dir.relativize(image.file()).toString().replace('\\', '/'));
            progress.accept(++done);
        }
        return finish();
    }

    /**
     * Publishes one record as part of this run ({@link #replayed}), once the in-flight bound has room for its bytes;
     * the broker's answer comes later ({@link Published#ack()}, and {@link #finish()} waits for all).
     */
    public Published publish(ImageSubmitted original) {
        ImageSubmitted record = replayed(original, Instant.now());
        int size = sizeOf(record.getImage());
        return publishing.add(record, sender.send(record, sender.hold(sender.reserve(size), size)));
    }

    /**
     * Publishes one file as part of this run ({@link #fileRecord}), read once the in-flight bound has room for it. A
     * file that cannot be read is refused: its {@link Published#ack()} fails, and {@link #finish()} lists it.
     */
    public Published publishFile(LabelledImage image, String originalId) {
        return publishFile(image, originalId, bytes -> bytes);
    }

    /** Bytes of an image as they are to be sent (eval's robustness sweeps re-encode, blur or resize them). */
    @FunctionalInterface
    public interface ContentTransform {
        byte[] apply(byte[] image) throws IOException;
    }

    /**
     * Publishes one file as {@link #publishFile(LabelledImage, String)} does, its bytes first passed through
     * {@code transform}; a file the transform cannot handle is refused as one that cannot be read.
     */
    public Published publishFile(LabelledImage image, String originalId, ContentTransform transform) {
        int permits = sender.reserve(Submitter.sizeOrZero(ImageSource.file(image)));
        String id = replayId(run, originalId);
        try {
            byte[] bytes = transform.apply(Files.readAllBytes(image.file()));
            ImageSubmitted record = fileRecord(run, image, originalId, bytes, Instant.now());
            return publishing.add(record, sender.send(record, sender.hold(permits, bytes.length)));
        } catch (IOException e) {
            sender.cancel(new IngestSender.Reservation(permits, 0));
            String reason = image.file() + ": cannot read it: " + FailureLine.of(e);
            publishing.refused.add(reason);
            return new Published(id, CompletableFuture.failedFuture(new IOException(reason, e)));
        }
    }

    /**
     * Waits until the broker has answered every record published since the last call, and says what happened to
     * them.
     */
    public Result finish() {
        Result result = publishing.finish();
        publishing = new Publishing();
        return result;
    }

    /** The most bytes of read images that waited for the broker at once so far. */
    public long peakInFlightBytes() {
        return sender.peakInFlightBytes();
    }

    private static int sizeOf(ImageContent content) {
        return content == null || content.getContent() == null ? 1024 : content.getContent().remaining();
    }

    /** The sends of one replay, awaited at the end. */
    private final class Publishing {
        private final List<CompletableFuture<Void>> acks = new ArrayList<>();
        private final List<String> ids = new ArrayList<>();
        private final List<String> refused = new ArrayList<>();
        private final AtomicInteger skipped = new AtomicInteger();
        private int unlabelled;

        Published add(ImageSubmitted record, CompletableFuture<Void> ack) {
            acks.add(ack);
            ids.add(record.getImageId());
            if (record.getLabel() == null) {
                unlabelled++;
            }
            return new Published(record.getImageId(), ack);
        }

        Result finish() {
            sender.flush();
            List<String> published = new ArrayList<>();
            for (int i = 0; i < acks.size(); i++) {
                try {
                    acks.get(i).get();
                    published.add(ids.get(i));
                } catch (ExecutionException e) {
                    refused.add(ids.get(i) + ": the broker did not take it: " + e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while replaying to " + Topics.INGEST.name(), e);
                }
            }
            return new Result(published.size(), unlabelled, skipped.get(), List.copyOf(refused),
                    List.copyOf(published));
        }
    }

    @Override
    public void close() {
        sender.close();
    }
}
