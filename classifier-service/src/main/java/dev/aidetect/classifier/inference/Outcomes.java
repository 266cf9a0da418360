package dev.aidetect.classifier.inference;

import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

import org.jboss.logging.Logger;

import dev.aidetect.classifier.domain.IncomingRecord;
import dev.aidetect.classifier.domain.Outcome;
import dev.aidetect.heads.VectorRejectedException;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.ModelRef;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Rejections;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageVerdict;
import dev.aidetect.schemas.kafka.AvroSerde;
import dev.aidetect.schemas.kafka.RecordDecodingException;

/**
 * Runs one stage on one raw record so that every input ends in exactly one outcome: the record is decoded, the
 * stage decides, and whatever goes wrong (undecodable record, bad vector, bad image, a failing model) becomes a
 * rejection with a specific reason instead of an exception that would stop the consumer.
 */
final class Outcomes {
    private static final Logger LOG = Logger.getLogger(Outcomes.class);

    private Outcomes() {
    }

    /**
     * @param imageId the decoded record's image id
     * @param label the decoded record's ground-truth label, passed on to a rejection
     * @param decide the stage's decision on a decoded record; throws {@link RejectedInputException} or
     *        {@link VectorRejectedException} to refuse it
     */
    static <T extends org.apache.avro.specific.SpecificRecord> Outcome run(IncomingRecord in, Stage stage,
            AvroSerde<T> serde, Function<T, String> imageId, Function<T, ImageLabel> label,
            Function<T, Outcome> decide) {
        T record;
        try {
            record = serde.decode(in.topic(), in.payload());
        } catch (RecordDecodingException e) {
            return badRecord(in, stage, e.problem(), e.getMessage());
        } catch (RuntimeException e) {
            return failed(in, in.imageIdOr(null), stage, e, null);
        }
        if (record == null) {
            return badRecord(in, stage, RecordDecodingException.Problem.TOMBSTONE, "record on " + in.topic()
                    + " has no value (a tombstone); send a " + serde.type().getSimpleName() + " record");
        }
        String id = in.imageIdOr(imageId.apply(record));
        try {
            return decide.apply(record);
        } catch (VectorRejectedException e) {
            RejectReason reason = e.reason() == VectorRejectedException.Reason.ENCODER_MISMATCH
                    ? RejectReason.ENCODER_MISMATCH
                    : RejectReason.BAD_VECTOR;
            return reject(in, id, stage, reason, e.getMessage(), label.apply(record));
        } catch (RejectedInputException e) {
            return reject(in, id, stage, e.reason(), e.getMessage(), label.apply(record));
        } catch (RuntimeException e) {
            return failed(in, id, stage, e, label.apply(record));
        }
    }

    /**
     * A record that is not what its topic carries: a BAD_RECORD rejection of the image its key names (that image gets
     * its final verdict, REJECTED), or a dead letter when it has no key, since a rejection would then end a case
     * nobody opened.
     */
    private static Outcome badRecord(IncomingRecord in, Stage stage, RecordDecodingException.Problem problem,
            String message) {
        if (!in.keyed()) {
            return new Outcome.DeadLettered(in, problem.name(), message);
        }
        // One line per bad record, as the embedder and the dead letters log theirs: which record, and why.
        LOG.warnf("Bad record %s at %s-%d@%d: %s", in.key(), in.topic(), in.partition(), in.offset(), message);
        return reject(in, in.key(), stage, RejectReason.BAD_RECORD, message, null);
    }

    private static Outcome failed(IncomingRecord in, String imageId, Stage stage, RuntimeException e,
            ImageLabel label) {
        LOG.errorf(e, "%s stage failed on image %s from %s", stage, imageId, in.topic());
        return reject(in, imageId, stage, RejectReason.INTERNAL_ERROR, "the " + stage + " stage failed on this input ("
                + e + "); it is a classifier bug or resource problem: see the classifier log and report it", label);
    }

    static Outcome.Verdict verdict(String imageId, Stage stage, String decision, double score,
            Map<String, Double> scores, double threshold, String modelId, String modelVersion) {
        return new Outcome.Verdict(StageVerdict.newBuilder()
                .setImageId(imageId)
                .setStage(stage)
                .setDecision(decision)
                .setScore(score)
                .setScores(scores)
                .setThreshold(threshold)
                .setModel(new ModelRef(modelId, modelVersion))
                .setDecidedAt(Instant.now())
                .build());
    }

    static Outcome.Rejection reject(IncomingRecord in, String imageId, Stage stage, RejectReason reason,
            String message, ImageLabel label) {
        return new Outcome.Rejection(
                Rejections.of(stage, in.topic(), imageId, reason, message, in.payload(), label));
    }
}
