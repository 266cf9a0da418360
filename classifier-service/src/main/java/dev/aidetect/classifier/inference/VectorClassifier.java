package dev.aidetect.classifier.inference;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.aidetect.classifier.domain.IncomingRecord;
import dev.aidetect.classifier.domain.Outcome;
import dev.aidetect.heads.HeadDecision;
import dev.aidetect.heads.VectorHead;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageRequest;
import dev.aidetect.schemas.kafka.AvroSerde;

/**
 * The vector stages: consumes an {@link ImageEmbedding} (detection) or a family {@link StageRequest} carrying the
 * embedding's vector, produces a REAL/FAKE or gan/diffusion verdict, or a rejection when the vector is unusable.
 */
@ApplicationScoped
public class VectorClassifier {
    private static final AvroSerde<ImageEmbedding> EMBEDDINGS = new AvroSerde<>(ImageEmbedding.class);
    private static final AvroSerde<StageRequest> REQUESTS = new AvroSerde<>(StageRequest.class);

    private final ModelRegistry models;
    private final InferenceMetrics metrics;

    public VectorClassifier(ModelRegistry models, InferenceMetrics metrics) {
        this.models = models;
        this.metrics = metrics;
    }

    /**
     * Real or fake, from an embedding; the verdict's score is P(FAKE). Called per record inside the consumer's batch
     * (a poll), so a poll's records share one head.
     */
    public Outcome detect(IncomingRecord in) {
        return models.batch(() -> Outcomes.run(in, Stage.DETECTION, EMBEDDINGS, ImageEmbedding::getImageId,
                ImageEmbedding::getLabel,
                embedding -> decide(in.imageIdOr(embedding.getImageId()), Stage.DETECTION, models.detectionHead(),
                        embedding.getEncodedBy().getId(), embedding.getVector(), false)));
    }

    /** GAN or diffusion, from a family request; the verdict's score is that of the decided family. */
    public Outcome classifyFamily(IncomingRecord in) {
        return models.batch(() -> classifyFamilyOf(in));
    }

    private Outcome classifyFamilyOf(IncomingRecord in) {
        return Outcomes.run(in, Stage.FAMILY, REQUESTS, StageRequest::getImageId, StageRequest::getLabel, request -> {
            if (request.getVector() == null) {
                throw new RejectedInputException(RejectReason.BAD_VECTOR, "family request for image "
                        + request.getImageId() + " carries no vector; the router must copy the embedding's vector");
            }
            if (request.getEncodedBy() == null) {
                throw new RejectedInputException(RejectReason.ENCODER_MISMATCH, "family request for image "
                        + request.getImageId() + " does not name the encoder of its vector (encodedBy); the router"
                        + " must copy the embedding's encodedBy so the head can refuse foreign vectors");
            }
            return decide(in.imageIdOr(request.getImageId()), Stage.FAMILY, models.familyHead(),
                    request.getEncodedBy().getId(), request.getVector(), true);
        });
    }

    private Outcome decide(String imageId, Stage stage, VectorHead head, String encoderId, List<Float> values,
            boolean scoreOfDecision) {
        float[] vector = PixelDetection.checked(head, encoderId, values);
        HeadDecision decision = metrics.time(stage, head.id(), () -> head.classify(vector));
        double score = scoreOfDecision ? decision.decisionScore() : decision.score();
        return Outcomes.verdict(imageId, stage, decision.decision(), score, decision.scores(), decision.threshold(),
                head.id(), head.version());
    }
}
