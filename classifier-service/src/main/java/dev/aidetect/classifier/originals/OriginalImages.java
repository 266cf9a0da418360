package dev.aidetect.classifier.originals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.aidetect.classifier.config.ClassifierConfig;
import dev.aidetect.classifier.domain.IncomingRecord;
import dev.aidetect.classifier.inference.RejectedInputException;
import dev.aidetect.fetch.ImageFetcher;
import dev.aidetect.imaging.decode.ImageRejectedException;
import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageRef;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.StageRequest;
import dev.aidetect.schemas.kafka.AvroSerde;
import dev.aidetect.schemas.kafka.RecordDecodingException;
import dev.aidetect.topics.ServiceKafkaConfig;

/**
 * Finds the encoded bytes of the image a {@link StageRequest} (or an {@link ImageEmbedding}, for detection on pixels) is
 * about, for the stages on pixels. Records carry a reference, not the pixels ({@code original}): in order, the
 * request's own inline bytes (requests written before {@code original} existed), the submission's uri (fetched with
 * the embedder's guarded fetcher, the {@code fetch} module, under {@code aidetect.classifier.fetch.*}), or the
 * {@code images.ingest} record that holds the inline bytes (the claim check: read with a {@link ClaimCheckReader} of
 * the record's channel, its image id checked against the record's; a submission by uri found there is fetched). Every
 * failure is a {@link RejectedInputException} that names the image, what was missing and what to change.
 *
 * <p>
 * A poll is decided in windows of about {@code aidetect.classifier.claim-check.read-ahead-bytes} of images: the claim
 * checks of a window are read together, so a poll of many requests costs a few fetches, not one per image, and holds
 * a bounded number of images in memory.
 */
@ApplicationScoped
public class OriginalImages {
    private static final AvroSerde<StageRequest> REQUESTS = new AvroSerde<>(StageRequest.class);
    private static final AvroSerde<ImageEmbedding> EMBEDDINGS = new AvroSerde<>(ImageEmbedding.class);
    private static final AvroSerde<ImageSubmitted> SUBMISSIONS = new AvroSerde<>(ImageSubmitted.class);

    /** Fetches a uri; the {@code fetch} module's {@link ImageFetcher} in the service. */
    @FunctionalInterface
    interface UriReader {
        byte[] fetch(String uri) throws ImageRejectedException;
    }

    /** Reads claim checks; a {@link ClaimCheckReader} in the service. */
    @FunctionalInterface
    interface ClaimCheckSource {
        Map<ClaimCheck, ClaimCheckReader.Read> read(Collection<ClaimCheck> checks);
    }

    private final UriReader uris;
    private final Function<String, ClaimCheckSource> claimChecksOfChannel;
    private final long maxBytes;
    private final long readAheadBytes;
    private final Runnable resources;

    @Inject
    public OriginalImages(ClassifierConfig config, ServiceKafkaConfig kafka) {
        ImageFetcher fetcher = new ImageFetcher(config.fetchSettings());
        Map<String, ClaimCheckReader> readers = new ConcurrentHashMap<>();
        String timeoutSetting = ClassifierConfig.PREFIX + ".claim-check.timeout";
        this.uris = fetcher::fetch;
        this.claimChecksOfChannel = channel -> readers.computeIfAbsent(channel, c -> new ClaimCheckReader(
                () -> new KafkaConsumer<>(ClaimCheckReader.consumerConfig(kafka.consumer(Map.of()),
                        "aidetect-classifier-claim-check-"
                                + c),
                        new StringDeserializer(), new ByteArrayDeserializer()),
                config.claimCheck().timeout(), timeoutSetting))::read;
        this.maxBytes = config.maxBytes();
        this.readAheadBytes = config.claimCheck().readAheadBytes();
        this.resources = () -> {
            readers.values().forEach(ClaimCheckReader::close);
            fetcher.close();
        };
    }

    /**
     * @param claimChecksOfChannel the claim-check source of an input channel (by its topic)
     * @param maxBytes the size counted for a claim check whose request does not say its size
     */
    OriginalImages(UriReader uris, Function<String, ClaimCheckSource> claimChecksOfChannel, long maxBytes,
            long readAheadBytes) {
        this.uris = uris;
        this.claimChecksOfChannel = claimChecksOfChannel;
        this.maxBytes = maxBytes;
        this.readAheadBytes = readAheadBytes;
        this.resources = () -> {
        };
    }

    /**
     * Decides every record of a poll of stage requests (all from one topic), in order, with the claim checks of each
     * window read ahead.
     *
     * @param decide one record's outcome; finds its image with {@link Window#bytesOf}
     */
    public <T> List<T> decideAll(List<IncomingRecord> poll, BiFunction<IncomingRecord, Window, T> decide) {
        return decideAll(poll, in -> peek(REQUESTS, in).map(ImageReference::of), decide);
    }

    /** As {@link #decideAll(List, BiFunction)}, for a poll of {@link ImageEmbedding}s (detection on pixels). */
    public <T> List<T> decideAllEmbedded(List<IncomingRecord> poll, BiFunction<IncomingRecord, Window, T> decide) {
        return decideAll(poll, in -> peek(EMBEDDINGS, in).map(ImageReference::of), decide);
    }

    private <T> List<T> decideAll(List<IncomingRecord> poll, Function<IncomingRecord, Optional<ImageReference>> peek,
            BiFunction<IncomingRecord, Window, T> decide) {
        List<T> outcomes = new ArrayList<>(poll.size());
        int from = 0;
        while (from < poll.size()) {
            Set<ClaimCheck> checks = new LinkedHashSet<>();
            long bytes = 0;
            int to = from;
            for (; to < poll.size(); to++) {
                Optional<ImageReference> reference = peek.apply(poll.get(to));
                Optional<ClaimCheck> check = reference.flatMap(OriginalImages::claimCheckOf);
                if (check.isPresent() && !checks.contains(check.get())) {
                    long size = reference.get().original().getSizeBytes();
                    size = size > 0 ? size : maxBytes;
                    if (!checks.isEmpty() && bytes + size > readAheadBytes) {
                        break;
                    }
                    checks.add(check.get());
                    bytes += size;
                }
            }
            Map<ClaimCheck, ClaimCheckReader.Read> reads = checks.isEmpty()
                    ? Map.of()
                    : claimChecksOfChannel.apply(poll.get(from).topic()).read(checks);
            Window window = new Window(reads);
            for (int i = from; i < to; i++) {
                outcomes.add(decide.apply(poll.get(i), window));
            }
            from = to;
        }
        return outcomes;
    }

    /** The images of one window of a poll: its claim checks, read. */
    public final class Window {
        private final Map<ClaimCheck, ClaimCheckReader.Read> reads;

        private Window(Map<ClaimCheck, ClaimCheckReader.Read> reads) {
            this.reads = reads;
        }

        /**
         * The encoded image the request is about.
         *
         * @param fix what the producer of the request must do when it names no image at all
         * @throws RejectedInputException when it cannot be had, with the reason and what to change
         */
        public byte[] bytesOf(StageRequest request, String fix) {
            return bytesOf(ImageReference.of(request), fix);
        }

        /**
         * The encoded image a record refers to.
         *
         * @param fix what the producer of the record must do when it names no image at all
         * @throws RejectedInputException when it cannot be had, with the reason and what to change
         */
        public byte[] bytesOf(ImageReference reference, String fix) {
            ImageContent inline = reference.inline();
            if (inline != null && inline.getContent() != null) {
                return bytes(inline.getContent());
            }
            ImageRef original = reference.original();
            if (original != null && original.getUri() != null) {
                return fetch(original.getUri());
            }
            if (original != null && original.getTopic() != null) {
                ClaimCheck check = claimCheckOf(reference).orElseThrow(() -> new RejectedInputException(
                        RejectReason.BAD_RECORD, reference.what() + " names " + original.getTopic() + " partition "
                                + original.getPartition() + " offset " + original.getOffset() + ", which is no "
                                + "record's place: its original must name the submission's images.ingest record"));
                return fromSubmission(reference, check);
            }
            if (inline != null && inline.getUri() != null) {
                return fetch(inline.getUri());
            }
            throw new RejectedInputException(RejectReason.MISSING_CONTENT, reference.what() + " carries no image: "
                    + "neither inline bytes nor an original (the submission's uri, or its images.ingest record); "
                    + fix);
        }

        private byte[] fromSubmission(ImageReference reference, ClaimCheck check) {
            ClaimCheckReader.Read read = reads.get(check);
            if (read == null) {
                throw new IllegalStateException("claim check " + check + " of image " + reference.imageId()
                        + " was not read ahead with its window");
            }
            byte[] value = switch (read) {
                case ClaimCheckReader.Read.Found(byte[] found) -> found;
                case ClaimCheckReader.Read.Unavailable(RejectReason reason, String message) ->
                    throw new RejectedInputException(reason, "the image of " + reference.what() + " cannot be read: "
                            + message);
            };
            ImageSubmitted submission;
            try {
                submission = value == null ? null : SUBMISSIONS.decode(check.topic(), value);
            } catch (RecordDecodingException e) {
                throw new RejectedInputException(RejectReason.BAD_RECORD, "the record at " + check + ", named by "
                        + reference.what() + ", is not an ImageSubmitted (" + e.getMessage() + "): its original "
                        + "must name the submission's images.ingest record", e);
            }
            if (submission == null) {
                throw new RejectedInputException(RejectReason.BAD_RECORD, "the record at " + check + ", named by "
                        + reference.what() + ", has no value (a tombstone): its original must name the "
                        + "submission's images.ingest record");
            }
            if (!submission.getImageId().equals(reference.imageId())) {
                throw new RejectedInputException(RejectReason.BAD_RECORD, "the record at " + check + ", named by "
                        + reference.what() + ", is the submission of image " + submission.getImageId() + ": its "
                        + "original names another image's record");
            }
            ImageContent image = submission.getImage();
            if (image != null && image.getContent() != null) {
                return bytes(image.getContent());
            }
            if (image != null && image.getUri() != null) {
                return fetch(image.getUri());
            }
            throw new RejectedInputException(RejectReason.MISSING_CONTENT, "the submission of image "
                    + reference.imageId() + " at " + check + " has neither image.content nor image.uri");
        }
    }

    /** The request's claim check; see {@link #claimCheckOf(ImageReference)}. */
    static Optional<ClaimCheck> claimCheckOf(StageRequest request) {
        return claimCheckOf(ImageReference.of(request));
    }

    /**
     * The record's claim check, when it is how its image is found: no inline bytes, no uri, an images.ingest record
     * named. Empty also when the record named is no record's place (negative partition or offset).
     */
    static Optional<ClaimCheck> claimCheckOf(ImageReference reference) {
        ImageRef original = reference.original();
        boolean inline = reference.inline() != null && reference.inline().getContent() != null;
        if (inline || original == null || original.getUri() != null || original.getTopic() == null
                || original.getPartition() < 0 || original.getOffset() < 0) {
            return Optional.empty();
        }
        return Optional.of(new ClaimCheck(original.getTopic(), original.getPartition(), original.getOffset()));
    }

    private byte[] fetch(String uri) {
        try {
            return uris.fetch(uri);
        } catch (ImageRejectedException e) {
            throw new RejectedInputException(e.reason(), e.getMessage(), e);
        }
    }

    /** The record's value, or empty when it does not decode (its stage rejects it then). */
    private static <R extends org.apache.avro.specific.SpecificRecord> Optional<R> peek(AvroSerde<R> serde,
            IncomingRecord in) {
        try {
            return Optional.ofNullable(serde.decode(in.topic(), in.payload()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static byte[] bytes(ByteBuffer content) {
        byte[] bytes = new byte[content.remaining()];
        content.duplicate().get(bytes);
        return bytes;
    }

    @PreDestroy
    void close() {
        resources.run();
    }
}
