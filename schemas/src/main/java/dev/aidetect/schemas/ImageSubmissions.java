package dev.aidetect.schemas;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Builds the {@code ImageSubmitted} record an uploader produces to {@code images.ingest}, the same way for every
 * uploader of this project ({@code ./aidetect submit}, the router's {@code POST /images}): a fresh image id from the
 * file's or URI's name, {@code submittedAt} now, the uploader's source, the image inline or by URI, and the attributes
 * ({@code file} for an inline file, plus the caller's, such as {@code run}). Also the producer settings such records
 * need.
 */
public final class ImageSubmissions {
    /** Attribute naming the file an inline image was read from. */
    public static final String FILE = "file";
    /** Attribute naming the run a submission belongs to ({@code GET /verdicts/stream?run=} filters on it). */
    public static final String RUN = "run";
    /** What a run id may be: replays make it part of image ids and of a source name. */
    public static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** Room an {@code images.ingest} record needs beside its image bytes: id, source, attributes, label, header. */
    public static final int ENVELOPE_BYTES = 64 << 10;
    /** The largest image a submission can carry inline: what {@code images.ingest} takes, less the envelope. */
    public static final int MAX_INLINE_BYTES = Topics.INGEST_MAX_MESSAGE_BYTES - ENVELOPE_BYTES;

    private ImageSubmissions() {
    }

    /**
     * A fresh image id: {@code stem} (characters other than letters, digits, {@code .}, {@code _} and {@code -}
     * replaced) and a random suffix, so submitting the same file again is a new case.
     */
    public static String newImageId(String stem) {
        byte[] suffix = new byte[4];
        ThreadLocalRandom.current().nextBytes(suffix);
        return stem.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + HexFormat.of().formatHex(suffix);
    }

    /**
     * The submission of an image sent inline.
     *
     * @param fileName the file's name (no folders): the image id starts with it, and attribute {@code file} keeps it
     * @param label the ground truth, or {@code null}
     * @param attributes more attributes (such as {@link #RUN}), or none
     */
    public static ImageSubmitted inline(String fileName, byte[] bytes, String source, ImageLabel label,
            Map<String, String> attributes, Instant now) {
        Map<String, String> all = new HashMap<>(attributes);
        all.put(FILE, fileName);
        return ImageSubmitted.newBuilder().setImageId(newImageId(stem(fileName))).setSubmittedAt(now).setSource(source)
                .setImage(ImageContent.newBuilder().setContent(ByteBuffer.wrap(bytes)).build()).setLabel(label)
                .setAttributes(all).build();
    }

    /**
     * The submission of an image by URI, which the pipeline fetches itself (the embedder's fetch settings decide which
     * URIs it may fetch); the image id starts with the URI's {@linkplain #uriName name}.
     *
     * @param uri an absolute URI, as {@link #checkedUri} makes sure
     */
    public static ImageSubmitted byUri(String uri, String source, Map<String, String> attributes, Instant now) {
        return ImageSubmitted.newBuilder().setImageId(newImageId(stem(uriName(uri)))).setSubmittedAt(now)
                .setSource(source)
                .setImage(ImageContent.newBuilder().setUri(uri).build()).setLabel(null)
                .setAttributes(Map.copyOf(attributes)).build();
    }

    /**
     * The URI, stripped and normalised by {@link URI}.
     *
     * @throws IllegalArgumentException saying what is wrong when {@code uri} is not an absolute URI with a path
     */
    public static String checkedUri(String uri) {
        try {
            URI parsed = new URI(uri.strip());
            if (!parsed.isAbsolute() || parsed.getRawPath() == null || parsed.getRawPath().isEmpty()) {
                throw new IllegalArgumentException("'" + uri + "' is not an absolute URI of an image (such as "
                        + "https://images.example.com/a.jpg or file:///data/a.jpg)");
            }
            return parsed.toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + uri + "' is not a URI: " + e.getMessage(), e);
        }
    }

    /** The last segment of the URI's path, or {@code uri} when it has none. */
    public static String uriName(String uri) {
        String path = URI.create(uri).getPath();
        String last = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        return last.isEmpty() ? "uri" : last;
    }

    private static String stem(String name) {
        return name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
    }

    /**
     * Settings for a producer of submissions, on top of the cluster's: every replica acknowledges, idempotent, and
     * requests as large as {@code images.ingest} takes (Kafka's 1 MiB default would refuse most photos).
     */
    public static Map<String, Object> producerSettings() {
        return Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(Topics.INGEST_MAX_MESSAGE_BYTES));
    }
}
