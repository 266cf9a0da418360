package dev.aidetect.schemas;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import dev.aidetect.schemas.kafka.AvroSerde;

/**
 * Every pipeline topic, typed: the registry. All keys are the image id, and all pipeline topics have the same partition
 * count, so every record the pipeline writes about one image lands in the same partition number of every topic. The
 * exception is {@link #INGEST}: uploaders write it with any client, partitioner and key (or none), so nothing but the
 * embedder reads it in order; the embedder re-publishes each submission, without its pixels, on {@link #RECEIVED},
 * keyed and partitioned like every other topic. {@link
 * dev.aidetect.schemas.kafka.TopicAdmin} creates them on a cluster.
 */
public final class Topics {
    /** Attribution families the pipeline knows; each has its own request topic. */
    public static final List<String> FAMILIES = List.of("gan", "diffusion");

    /**
     * Submissions, as uploaders write them: any client, partitioner and key (or none; the image id in the value is the
     * identity). Only the embedder reads it in full; it answers each submission on {@link #RECEIVED}. It is also the
     * claim-check store for inline images: a stage that needs the pixels reads the record an {@code ImageRef} names
     * (partition and offset), at any time while the image's case is open. So this topic must retain its records
     * ({@code retention.ms}, and {@code retention.bytes} if set) longer than the longest case, the router's
     * {@code aidetect.router.stage-timeout} for each thing a case waits for, plus the embedder's lag; the router
     * warns at start-up when its {@code retention.ms} is shorter. Kafka's default of 7 days is ample.
     */
    public static final Topic<String, ImageSubmitted> INGEST = topic("images.ingest", ImageSubmitted.class);
    /**
     * Every submission the embedder read, without its pixels, keyed by the image id in its value whatever the
     * producer's key and partitioner: the router opens cases from this topic, never from {@link #INGEST}.
     */
    public static final Topic<String, ImageReceived> RECEIVED = topic("images.received", ImageReceived.class);
    public static final Topic<String, ImageEmbedding> EMBEDDED = topic("images.embedded", ImageEmbedding.class);
    public static final Topic<String, ImageRejected> REJECTED = topic("images.rejected", ImageRejected.class);
    public static final Topic<String, StageVerdict> DETECTION_VERDICTS = topic("verdicts.detection",
            StageVerdict.class);
    public static final Topic<String, StageRequest> FAMILY_REQUESTS = topic("stage.family.requests",
            StageRequest.class);
    public static final Topic<String, StageVerdict> FAMILY_VERDICTS = topic("verdicts.family", StageVerdict.class);
    public static final Topic<String, StageRequest> GAN_ATTRIBUTION_REQUESTS = topic(
            "stage.attribution.gan.requests", StageRequest.class);
    public static final Topic<String, StageRequest> DIFFUSION_ATTRIBUTION_REQUESTS = topic(
            "stage.attribution.diffusion.requests", StageRequest.class);
    public static final Topic<String, StageVerdict> ATTRIBUTION_VERDICTS = topic("verdicts.attribution",
            StageVerdict.class);
    public static final Topic<String, FinalVerdict> FINAL = topic("verdicts.final", FinalVerdict.class);

    /**
     * Dead letters, one topic per service that consumes: records it could not read and could not tie to an image
     * (see {@link dev.aidetect.schemas.kafka.DeadLetter}). The original key and value are kept as bytes, unchanged;
     * {@code ./aidetect redrive} puts them back on the topic their headers name.
     */
    public static final Topic<String, byte[]> EMBEDDER_DEAD_LETTERS = deadLetters("embedder");
    public static final Topic<String, byte[]> CLASSIFIER_DEAD_LETTERS = deadLetters("classifier");
    public static final Topic<String, byte[]> ROUTER_DEAD_LETTERS = deadLetters("router");

    private static final Map<String, Topic<String, StageRequest>> ATTRIBUTION_REQUESTS = Map.of(
            "gan", GAN_ATTRIBUTION_REQUESTS, "diffusion", DIFFUSION_ATTRIBUTION_REQUESTS);

    /**
     * Largest record {@code images.ingest} takes, set on the topic when it is created: inline images up to the
     * embedder's default byte limit (20 MiB) fit with room to spare (embedder-service's LimitsAgreeTest checks).
     * Kafka's default (1 MiB) would refuse most phone photos at the producer. The other topics carry vectors and
     * verdicts and keep the default.
     */
    public static final int INGEST_MAX_MESSAGE_BYTES = 32 << 20;

    /** Kafka's rule for topic names. */
    private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private Topics() {
    }

    /** The attribution request topic of a family. */
    public static Topic<String, StageRequest> attributionRequests(String family) {
        Topic<String, StageRequest> topic = ATTRIBUTION_REQUESTS.get(family);
        if (topic == null) {
            throw new IllegalArgumentException(
                    "no attribution stage for family '" + family + "'; known families: " + FAMILIES);
        }
        return topic;
    }

    /**
     * Where the embedder publishes one encoder's vectors when several run side by side and are published separately
     * ({@code images.embedded.<encoder id>}); the first encoder's go to {@link #EMBEDDED}.
     *
     * @throws IllegalArgumentException when the id cannot be part of a topic name
     */
    public static Topic<String, ImageEmbedding> embeddedBy(String encoderId) {
        String name = EMBEDDED.name() + "." + encoderId;
        if (!LEGAL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("encoder id '" + encoderId + "' cannot name a topic (" + name
                    + "): use letters, digits, '.', '_' and '-' only, at most " + (249 - EMBEDDED.name().length() - 1)
                    + " characters, in the encoder's manifest");
        }
        return topic(name, ImageEmbedding.class);
    }

    /** Every pipeline topic, in the order records flow through them. */
    public static List<Topic<String, ?>> all() {
        return List.of(INGEST, RECEIVED, EMBEDDED, REJECTED, DETECTION_VERDICTS, FAMILY_REQUESTS, FAMILY_VERDICTS,
                GAN_ATTRIBUTION_REQUESTS, DIFFUSION_ATTRIBUTION_REQUESTS, ATTRIBUTION_VERDICTS, FINAL);
    }

    /** The dead-letter topic of every service. */
    public static List<Topic<String, ?>> deadLetters() {
        return List.of(EMBEDDER_DEAD_LETTERS, CLASSIFIER_DEAD_LETTERS, ROUTER_DEAD_LETTERS);
    }

    /** What a cluster needs: every pipeline topic ({@link #all()}) and every dead-letter topic. */
    public static List<Topic<String, ?>> allWithDeadLetters() {
        return java.util.stream.Stream.concat(all().stream(), deadLetters().stream()).toList();
    }

    /**
     * The topic settings a pipeline topic is created with, beyond the cluster's defaults: {@code images.ingest} takes
     * records up to {@link #INGEST_MAX_MESSAGE_BYTES}; {@code verdicts.final} is compacted, not deleted by age, since
     * it is the source of truth of every image's one final verdict for as long as it exists (the router reads it back
     * to answer queries and to refuse a second final for an image).
     */
    public static Map<String, String> configsOf(Topic<String, ?> topic) {
        if (topic.name().equals(INGEST.name())) {
            return Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(INGEST_MAX_MESSAGE_BYTES));
        }
        if (topic.name().equals(FINAL.name())) {
            return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        return Map.of();
    }

    private static Topic<String, byte[]> deadLetters(String service) {
        return new Topic<>(dev.aidetect.schemas.kafka.DeadLetter.topicOf(service), Serdes.String(), Serdes.ByteArray());
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> Topic<String, V> topic(String name,
            Class<V> type) {
        Serde<String> keys = Serdes.String();
        return new Topic<>(name, keys, new AvroSerde<>(type));
    }
}
