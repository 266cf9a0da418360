package dev.aidetect.tools.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import dev.aidetect.common.MoreFiles;
import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.KafkaClientSettings;
import dev.aidetect.tools.dataset.LabelledImage;

/**
 * Replays a topic of {@code ImageSubmitted} records into a folder laid out as {@code fake/<family>/<generator>/}, so
 * labelled images from the pipeline train exactly as a labelled folder does. Only labelled fakes with a family, a
 * generator and inline content are written; the others are counted by why they were left out.
 */
public final class LabelledImageReplay {
    private LabelledImageReplay() {
    }

    /**
     * The folder a replay wrote (deleted on close), how many images it holds, and how many records were left out
     * for each reason.
     */
    public record Replayed(Path root, int written, Map<String, Integer> leftOut) implements AutoCloseable {
        /** The written images with the labels their folders give. */
        public List<LabelledImage> images() {
            return LabelledImage.collect(List.of(root));
        }

        public String summary(String topic) {
            String out = leftOut.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                    .collect(Collectors.joining(", "));
            return "replayed " + written + " labelled fakes from " + topic
                    + (out.isEmpty() ? "" : "; left out " + out);
        }

        @Override
        public void close() {
            MoreFiles.deleteRecursively(root);
        }
    }

    /**
     * Replays {@code topic} from its earliest offset to the end offsets it has now into a new temporary folder,
     * which closing the result deletes.
     */
    public static Replayed toTemporaryFolder(String bootstrapServers, String topic,
            IntFunction<IntConsumer> progress) throws IOException {
        return toTemporaryFolder(KafkaClientSettings.plaintext(bootstrapServers), topic, progress);
    }

    /**
     * Replays {@code topic} of {@code cluster} from its earliest offset to the end offsets it has now into a new
     * temporary folder, which closing the result deletes.
     */
    public static Replayed toTemporaryFolder(KafkaClientSettings cluster, String topic,
            IntFunction<IntConsumer> progress) throws IOException {
        Writer writer = new Writer(Files.createTempDirectory("aidetect-replay-"));
        try {
            int undecodable = new TopicReplay<>(cluster, topic, Topics.INGEST).replay(writer, progress);
            if (undecodable > 0) {
                writer.leftOut.merge("not ImageSubmitted records", undecodable, Integer::sum);
            }
        } catch (RuntimeException e) {
            MoreFiles.deleteRecursively(writer.root);
            throw e;
        }
        return new Replayed(writer.root, writer.written, writer.leftOut);
    }

    private static final class Writer implements Consumer<ImageSubmitted> {
        private final Path root;
        private final Map<String, Integer> leftOut = new TreeMap<>();
        private int written;

        Writer(Path root) {
            this.root = root;
        }

        @Override
        public void accept(ImageSubmitted record) {
            ImageLabel label = record.getLabel();
            ByteBuffer content = record.getImage().getContent();
            String reason = leftOutReason(label, content);
            if (reason != null) {
                leftOut.merge(reason, 1, Integer::sum);
                return;
            }
            Path dir = root.resolve("fake").resolve(safe(label.getFamily())).resolve(safe(label.getGenerator()));
            byte[] bytes = new byte[content.remaining()];
            content.duplicate().get(bytes);
            try {
                Files.createDirectories(dir);
                Files.write(dir.resolve(String.format("%06d-%s", written, safe(record.getImageId()))), bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write a replayed image under " + dir + ": " + e.getMessage(), e);
            }
            written++;
        }

        /** Why a record cannot be trained on, or {@code null} when it can. */
        private static String leftOutReason(ImageLabel label, ByteBuffer content) {
            if (label == null) {
                return "unlabelled";
            }
            if (label.getAuthenticity() != Authenticity.FAKE) {
                return "not FAKE";
            }
            if (label.getFamily() == null || label.getGenerator() == null) {
                return "without family or generator";
            }
            return content == null ? "without inline content (uri only)" : null;
        }

        /** A name usable as one path element: anything but letters, digits, '.', '-' and '_' becomes '_'. */
        private static String safe(String name) {
            String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
            return safe.isEmpty() || safe.startsWith(".") ? "_" + safe : safe;
        }
    }
}
