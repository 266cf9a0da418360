package dev.aidetect.e2e;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apache.avro.specific.SpecificRecord;

import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageReceived;
import dev.aidetect.schemas.ImageRef;
import dev.aidetect.schemas.ImageSubmissions;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.ModelRef;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Rejections;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageRequest;
import dev.aidetect.schemas.StageVerdict;
import dev.aidetect.schemas.Topic;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.AvroSerializer;

/**
 * The record-level bad-input corpus (issue 16) as a table: one row per case, each with its name, the topic its
 * records go to, how they are made, the ending the pipeline must give its image id, and, for a record no service can
 * read, which dead-letter topics get it and which service logs exactly one line about it. {@link
 * RecordCorpusEndToEndIT} sends it through the packaged pipeline and checks every row.
 */
final class RecordCorpus {
    static final String EMBEDDER = "embedder-service";
    static final String CLASSIFIER = "classifier-service";
    static final String ROUTER = "hierarchy-router";
    static final List<String> SERVICES = List.of(EMBEDDER, CLASSIFIER, ROUTER);
    /** The model id on every verdict the corpus makes itself, so a final's path shows whose verdict won. */
    static final String CORPUS_MODEL = "record-corpus";
    static final AvroSerializer AVRO = new AvroSerializer();
    private static final byte[] NOT_AVRO = "{\"imageId\": \"this is JSON, not Avro\"}".getBytes(StandardCharsets.UTF_8);

    private RecordCorpus() {
    }

    /** How a case ends: what its image id's final verdicts on verdicts.final must be. */
    sealed interface Ending {
    }

    /** Exactly one final, DECIDED; when {@code craftedAt} is set, that stage's verdict on its path is the corpus's. */
    record Decided(Stage craftedAt) implements Ending {
    }

    /** Exactly one final, REJECTED for {@code reason}. */
    record Rejected(RejectReason reason) implements Ending {
    }

    /** Exactly one final, TIMED_OUT waiting for {@code waitingFor}. */
    record TimedOut(Stage waitingFor) implements Ending {
    }

    /** The id (a seed) already had its final: still exactly one. */
    record NoSecondFinal() implements Ending {
    }

    /** The record names no case the router can end: no final at all. */
    record NoFinal() implements Ending {
    }

    /**
     * What an undecodable record leaves besides its ending: the services whose dead-letter topic gets it, and the
     * services that log exactly one line naming it ({@code topic-partition@offset}, no stack trace); every other
     * service logs none.
     */
    record Trail(Set<String> deadLetteredBy, Set<String> loggedBy) {
    }

    /**
     * One record to send: {@code value}, or, when {@code claiming} is set, the value it makes from the claim check of
     * the case's submission sent before it (where that landed on images.ingest).
     */
    record Send(String topic, String key, byte[] value, Function<ImageRef, byte[]> claiming) {
        Send(String topic, String key, byte[] value) {
            this(topic, key, value, null);
        }
    }

    /** One row of the corpus, its records made for {@code imageId}. */
    record Case(String name, String topic, String made, Ending ending, Trail trail, String imageId, List<Send> sends) {
    }

    /** A finished seed: its submission, receipt and embedding as the pipeline wrote them, and its final. */
    record Seed(String id, Path file, ImageSubmitted submission, ImageReceived receipt, ImageEmbedding embedding,
            FinalVerdict verdict) {
    }

    /**
     * The corpus. {@code t} is a seed the demo models decided FAKE along the whole hierarchy; "submitted" means its
     * file, sent inline under the case's own id, as any uploader would, after the case's other records (so those reach
     * the router first: Kafka Streams takes the earliest record of a task's partitions first).
     */
    static List<Case> corpus(Seed t, List<Seed> replayed) {
        Corpus c = new Corpus(t, replayed);
        Trail embedder = new Trail(Set.of(), Set.of(EMBEDDER));
        Trail classifier = new Trail(Set.of(), Set.of(CLASSIFIER));
        Trail router = new Trail(Set.of(ROUTER), Set.of(ROUTER));
        Trail both = new Trail(Set.of(ROUTER), Set.of(CLASSIFIER, ROUTER));
        int n = t.embedding().getVector().size();
        // Duplicates: the same record twice on an image that is otherwise submitted as usual. The first record of
        // each kind wins in the router; the classifier decides each request it gets, and the router keeps the first
        // verdict of each stage.
        c.row("duplicated submission", Topics.INGEST, "the same ImageSubmitted twice", new Decided(null),
                id -> c.twice(c.submission(id)));
        c.row("duplicated receipt", Topics.RECEIVED, "submitted, then its receipt twice", new Decided(null),
                id -> c.submittedThen(id, c.twice(c.receipt(id))));
        c.row("duplicated embedding", Topics.EMBEDDED, "a copy of the seed's embedding, twice; submitted",
                new Decided(null), id -> c.submitted(id, c.twice(c.embedding(id, t.embedding().getVector(), null))));
        c.row("duplicated detection verdict", Topics.DETECTION_VERDICTS, "FAKE 0.99, twice; submitted",
                new Decided(Stage.DETECTION), id -> c.submitted(id, c.twice(c.verdict(id, Stage.DETECTION))));
        c.row("duplicated family request", Topics.FAMILY_REQUESTS, "the seed's vector, twice; submitted",
                new Decided(null), id -> c.submitted(id, c.twice(c.familyRequest(id))));
        c.row("duplicated family verdict", Topics.FAMILY_VERDICTS, "the seed's family, twice; submitted",
                new Decided(Stage.FAMILY), id -> c.submitted(id, c.twice(c.verdict(id, Stage.FAMILY))));
        c.row("duplicated attribution request", Topics.attributionRequests(c.family),
                "submitted, then a request with its claim check twice", new Decided(null),
                id -> c.submittedThen(id, c.twice(c.attributionRequest(id))));
        c.row("duplicated attribution verdict", Topics.ATTRIBUTION_VERDICTS, "the seed's generator, twice; submitted",
                new Decided(Stage.ATTRIBUTION), id -> c.submitted(id, c.twice(c.verdict(id, Stage.ATTRIBUTION))));
        c.row("duplicated rejection", Topics.REJECTED, "NOT_AN_IMAGE at EMBEDDING, twice; never submitted",
                new Rejected(RejectReason.NOT_AN_IMAGE), id -> c.twice(c.rejection(id)));
        // Replays: a record of a seed sent again after the seed's final verdict was written. The services may decide
        // it again; the router's read-back of verdicts.final refuses the seed a second final.
        c.replay("replayed submission", Topics.INGEST, "the seed's ImageSubmitted", s -> List.of(
                c.send(Topics.INGEST, s.id(), s.submission())));
        c.replay("replayed receipt", Topics.RECEIVED, "the seed's receipt", s -> List.of(
                c.send(Topics.RECEIVED, s.id(), s.receipt())));
        c.replay("replayed embedding", Topics.EMBEDDED, "the seed's embedding", s -> List.of(
                c.send(Topics.EMBEDDED, s.id(), s.embedding())));
        c.replay("replayed detection verdict", Topics.DETECTION_VERDICTS, "FAKE 0.99", s -> List.of(
                c.verdict(s.id(), Stage.DETECTION)));
        c.replay("replayed family request", Topics.FAMILY_REQUESTS, "the seed's vector", s -> List.of(
                c.familyRequest(s.id())));
        c.replay("replayed family verdict", Topics.FAMILY_VERDICTS, "the template's family", s -> List.of(
                c.verdict(s.id(), Stage.FAMILY)));
        c.replay("replayed attribution request", Topics.attributionRequests(c.family), "the seed's claim check",
                s -> List.of(c.attributionRequest(s.id(), s.receipt().getOriginal())));
        c.replay("replayed attribution verdict", Topics.ATTRIBUTION_VERDICTS, "the template's generator",
                s -> List.of(c.verdict(s.id(), Stage.ATTRIBUTION)));
        c.replay("replayed rejection", Topics.REJECTED, "NOT_AN_IMAGE at EMBEDDING", s -> List.of(
                c.rejection(s.id())));
        // Out of order.
        c.row("family verdict before its request", Topics.FAMILY_VERDICTS,
                "the seed's family, before the submission: the router never asks the family stage",
                new Decided(Stage.FAMILY), id -> c.submitted(id, List.of(c.verdict(id, Stage.FAMILY))));
        c.row("attribution verdict before its request", Topics.ATTRIBUTION_VERDICTS,
                "the seed's generator, before the submission: the router never asks attribution",
                new Decided(Stage.ATTRIBUTION), id -> c.submitted(id, List.of(c.verdict(id, Stage.ATTRIBUTION))));
        // The classifier reads the pixels a claim check names only when that record is the submission of the image
        // asked about; the router takes the first receipt, so this one's reference decides the case.
        c.row("receipt naming another image", Topics.RECEIVED, "a copy of a seed's receipt; submitted",
                new Rejected(RejectReason.BAD_RECORD), id -> c.submitted(id, List.of(c.receipt(id, null))));
        // Its case waits for the embedding the detection needs; nothing else comes: it times out (90 s).
        c.row("family verdict, detection undecided", Topics.FAMILY_VERDICTS, "the seed's family; never submitted",
                new TimedOut(Stage.EMBEDDING), id -> List.of(c.verdict(id, Stage.FAMILY)));
        // The classifier decides FAKE, the family stage answers, attribution needs the submission's pixels: the case
        // waits for the receipt that never comes and times out (90 s).
        c.row("embedding never submitted", Topics.EMBEDDED, "a copy of the seed's embedding; never submitted",
                new TimedOut(Stage.INGEST), id -> List.of(c.embedding(id, t.embedding().getVector(), null)));
        // Vectors the classifier must refuse (each never submitted: the rejection alone ends the case).
        c.row("NaN vector", Topics.EMBEDDED, "the seed's vector with one NaN", new Rejected(RejectReason.BAD_VECTOR),
                id -> List.of(c.embedding(id, c.vectorWith(n / 2, Float.NaN), null)));
        c.row("infinite vector", Topics.EMBEDDED, "the seed's vector with one +Inf",
                new Rejected(RejectReason.BAD_VECTOR),
                id -> List.of(c.embedding(id, c.vectorWith(0, Float.POSITIVE_INFINITY), null)));
        c.row("all-zero vector", Topics.EMBEDDED, n + " zeros", new Rejected(RejectReason.BAD_VECTOR),
                id -> List.of(c.embedding(id, Collections.nCopies(n, 0f), null)));
        c.row("vector one short", Topics.EMBEDDED, (n - 1) + " floats", new Rejected(RejectReason.BAD_VECTOR),
                id -> List.of(c.embedding(id, t.embedding().getVector().subList(0, n - 1), null)));
        c.row("empty vector", Topics.EMBEDDED, "0 floats", new Rejected(RejectReason.BAD_VECTOR),
                id -> List.of(c.embedding(id, List.of(), null)));
        c.row("unknown encoder", Topics.EMBEDDED, "the seed's vector, encodedBy no-such-encoder:1",
                new Rejected(RejectReason.ENCODER_MISMATCH),
                id -> List.of(c.embedding(id, t.embedding().getVector(), new ModelRef("no-such-encoder", "1"))));
        // Undecodable records, keyed by an image id: the embedder and the classifier reject that image BAD_RECORD
        // (it gets its final); the router, which cannot tell which case a record it cannot read belongs to, puts it
        // on deadletters.router. A record with no key at all names no image: dead letters only.
        for (Topic<String, ?> topic : List.of(Topics.INGEST, Topics.RECEIVED, Topics.EMBEDDED, Topics.REJECTED,
                Topics.DETECTION_VERDICTS, Topics.FAMILY_REQUESTS, Topics.FAMILY_VERDICTS,
                Topics.GAN_ATTRIBUTION_REQUESTS, Topics.DIFFUSION_ATTRIBUTION_REQUESTS, Topics.ATTRIBUTION_VERDICTS)) {
            boolean embedderReads = topic == Topics.INGEST;
            boolean classifierReads = topic == Topics.EMBEDDED || topic.name().startsWith("stage.");
            Ending ending = embedderReads || classifierReads ? new Rejected(RejectReason.BAD_RECORD) : new NoFinal();
            Trail trail = embedderReads
                    ? embedder
                    : topic == Topics.EMBEDDED
                            ? both
                            : classifierReads
                                    ? classifier
                                    : router;
            c.row("not Avro", topic, "JSON bytes, keyed", ending, trail, id -> List.of(c.raw(topic, id, NOT_AVRO)));
            c.row("tombstone", topic, "no value, keyed", ending, trail, id -> List.of(c.raw(topic, id, null)));
        }
        c.row("not Avro, no key", Topics.EMBEDDED, "JSON bytes, no key", new NoFinal(),
                new Trail(Set.of(CLASSIFIER, ROUTER), Set.of(CLASSIFIER, ROUTER)),
                id -> List.of(c.raw(Topics.EMBEDDED, null, NOT_AVRO)));
        // verdicts.final is not in the corpus: the router's own output and the source of truth, read back by every
        // instance and by every other test's verdict consumer on this shared pipeline.
        return c.cases;
    }

    /** Makes the corpus's records from the template seed {@code t}. */
    private static final class Corpus {
        final List<Case> cases = new ArrayList<>();
        final Seed t;
        final List<Seed> replayed;
        final String family;
        int nextSeed;

        Corpus(Seed t, List<Seed> replayed) {
            this.t = t;
            this.replayed = replayed;
            this.family = t.verdict().getFamily();
        }

        void row(String name, Topic<String, ?> topic, String made, Ending ending, Function<String, List<Send>> sends) {
            row(name, topic, made, ending, null, sends);
        }

        void row(String name, Topic<String, ?> topic, String made, Ending ending, Trail trail,
                Function<String, List<Send>> sends) {
            String id = ImageSubmissions.newImageId("corpus-" + name.replace(' ', '-') + "-" + topic.name());
            cases.add(new Case(name, topic.name(), made, ending, trail, id, sends.apply(id)));
        }

        void replay(String name, Topic<String, ?> topic, String made, Function<Seed, List<Send>> sends) {
            Seed seed = replayed.get(nextSeed++);
            cases.add(new Case(name, topic.name(), made + " after its final", new NoSecondFinal(), null, seed.id(),
                    sends.apply(seed)));
        }

        List<Send> twice(Send send) {
            return List.of(send, send);
        }

        /** The template's file submitted under {@code id}, then records made with that submission's claim check. */
        List<Send> submittedThen(String id, List<Send> after) {
            List<Send> all = new ArrayList<>();
            all.add(submission(id));
            all.addAll(after);
            return all;
        }

        /** {@code before}, then the template's file submitted under {@code id}. */
        List<Send> submitted(String id, List<Send> before) {
            List<Send> all = new ArrayList<>(before);
            all.add(submission(id));
            return all;
        }

        Send submission(String id) {
            ImageSubmitted record = ImageSubmitted.newBuilder(t.submission()).setImageId(id)
                    .setSubmittedAt(Instant.now()).build();
            return send(Topics.INGEST, id, record);
        }

        /** A copy of the template's receipt for {@code id}: naming the template's pixels, or {@code original}. */
        Send receipt(String id, ImageRef original) {
            ImageReceived.Builder receipt = ImageReceived.newBuilder(t.receipt()).setImageId(id);
            if (original != null) {
                receipt.setOriginal(original);
            }
            return send(Topics.RECEIVED, id, receipt.build());
        }

        /** A receipt for {@code id} naming the pixels of the case's own submission. */
        Send receipt(String id) {
            return new Send(Topics.RECEIVED.name(), id, null, original -> receipt(id, original).value());
        }

        Send embedding(String id, List<Float> vector, ModelRef encoder) {
            ImageEmbedding.Builder embedding = ImageEmbedding.newBuilder(t.embedding()).setImageId(id)
                    .setVector(vector);
            if (encoder != null) {
                embedding.setEncodedBy(encoder);
            }
            return send(Topics.EMBEDDED, id, embedding.build());
        }

        List<Float> vectorWith(int index, float value) {
            List<Float> vector = new ArrayList<>(t.embedding().getVector());
            vector.set(index, value);
            return vector;
        }

        Send familyRequest(String id) {
            return send(Topics.FAMILY_REQUESTS, id, StageRequest.newBuilder().setImageId(id).setStage(Stage.FAMILY)
                    .setVector(t.embedding().getVector()).setEncodedBy(t.embedding().getEncodedBy())
                    .setSubmittedAt(Instant.now()).setRequestedAt(Instant.now()).build());
        }

        Send attributionRequest(String id, ImageRef original) {
            return send(Topics.attributionRequests(family), id, StageRequest.newBuilder().setImageId(id)
                    .setStage(Stage.ATTRIBUTION).setFamily(family).setOriginal(original)
                    .setSubmittedAt(Instant.now()).setRequestedAt(Instant.now()).build());
        }

        /** An attribution request for {@code id} with the claim check of the case's own submission. */
        Send attributionRequest(String id) {
            return new Send(Topics.attributionRequests(family).name(), id, null,
                    original -> attributionRequest(id, original).value());
        }

        /** A verdict of the corpus's own: the template's decision at {@code stage} (FAKE 0.99 for detection). */
        Send verdict(String id, Stage stage) {
            String decision = switch (stage) {
                case DETECTION -> "FAKE";
                case FAMILY -> family;
                default -> t.verdict().getGenerator();
            };
            Topic<String, StageVerdict> topic = switch (stage) {
                case DETECTION -> Topics.DETECTION_VERDICTS;
                case FAMILY -> Topics.FAMILY_VERDICTS;
                default -> Topics.ATTRIBUTION_VERDICTS;
            };
            return send(topic, id, StageVerdict.newBuilder().setImageId(id).setStage(stage).setDecision(decision)
                    .setScore(0.99).setScores(Map.of(decision, 0.99)).setThreshold(0.5)
                    .setModel(new ModelRef(CORPUS_MODEL, "1")).setDecidedAt(Instant.now()).build());
        }

        Send rejection(String id) {
            return send(Topics.REJECTED, id, Rejections.of(Stage.EMBEDDING, Topics.INGEST.name(), id,
                    RejectReason.NOT_AN_IMAGE, "the record corpus's own rejection", null, null));
        }

        Send raw(Topic<String, ?> topic, String key, byte[] value) {
            return new Send(topic.name(), key, value);
        }

        Send send(Topic<String, ?> topic, String key, SpecificRecord record) {
            return new Send(topic.name(), key, AVRO.serialize(topic.name(), record));
        }
    }
}
