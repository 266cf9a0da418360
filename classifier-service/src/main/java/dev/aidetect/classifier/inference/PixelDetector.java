package dev.aidetect.classifier.inference;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.aidetect.classifier.config.ClassifierConfig;
import dev.aidetect.classifier.domain.DetectionInput;
import dev.aidetect.classifier.domain.IncomingRecord;
import dev.aidetect.classifier.domain.Outcome;
import dev.aidetect.classifier.originals.ImageReference;
import dev.aidetect.classifier.originals.OriginalImages;
import dev.aidetect.heads.HeadDecision;
import dev.aidetect.heads.VectorHead;
import dev.aidetect.heads.attribution.DetectionNetwork;
import dev.aidetect.imaging.decode.DecodedImage;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.kafka.AvroSerde;

/**
 * The detection stage on pixels ({@code detection-input=pixels} or {@code fused}): consumes {@link ImageEmbedding}s,
 * reads each image through the {@code original} the embedder wrote ({@link OriginalImages}: its uri, or its
 * images.ingest record; a poll's claim checks read together), decodes it within the classifier's limits, and produces
 * a REAL/FAKE verdict whose score is P(FAKE): the detection network's, or, fused, the head's and the network's combined
 * ({@link DetectionFusion}). A pixels verdict names the network; a fused one names both, network first, as
 * {@code <network id>+<head id>} version {@code <network version>+<head version>}. An embedding without an original
 * is rejected MISSING_CONTENT.
 */
@ApplicationScoped
public class PixelDetector {
    private static final AvroSerde<ImageEmbedding> EMBEDDINGS = new AvroSerde<>(ImageEmbedding.class);
    /** Joins the ids and the versions of the models a fused verdict names. */
    static final String FUSED_JOIN = "+";

    private final ModelRegistry models;
    private final InferenceMetrics metrics;
    private final OriginalImages originals;
    private final ImageDecoding decoder;

    public PixelDetector(ModelRegistry models, InferenceMetrics metrics, OriginalImages originals,
            ClassifierConfig config) {
        this.models = models;
        this.metrics = metrics;
        this.originals = originals;
        this.decoder = new ImageDecoding(config);
    }

    /** One outcome per record of a poll of embeddings, in order. */
    public List<Outcome> detect(List<IncomingRecord> poll) {
        // One batch: every record of the poll is decided by the models serving at its first record.
        return models.batch(() -> detectAll(poll));
    }

    private List<Outcome> detectAll(List<IncomingRecord> poll) {
        DetectionInput input = models.detectionInput();
        return originals.decideAllEmbedded(poll, (in, images) -> Outcomes.run(in, Stage.DETECTION, EMBEDDINGS,
                ImageEmbedding::getImageId, ImageEmbedding::getLabel, embedding -> {
                    String imageId = in.imageIdOr(embedding.getImageId());
                    // The head first: a vector from a foreign encoder is refused before any image is read.
                    VectorHead head = input == DetectionInput.FUSED ? models.detectionHead() : null;
                    float[] vector = head == null ? null : VectorClassifier.checked(head, embedding);
                    DecodedImage image = decoder.decode(images.bytesOf(ImageReference.of(embedding), "the "
                            + "detection stage here decides on pixels (" + ClassifierConfig.PREFIX
                            + ".detection-input=" + input.label() + "), so the embedder must name the image in "
                            + "ImageEmbedding.original (embedders of this version do); or set detection-input=vector"));
                    DetectionNetwork network = models.detectionNetwork();
                    HeadDecision onPixels = metrics.time(Stage.DETECTION, network.id(),
                            () -> network.detect(image.rgb()));
                    if (head == null) {
                        return verdict(imageId, onPixels, network.id(), network.version());
                    }
                    HeadDecision onVector = metrics.time(Stage.DETECTION, head.id(), () -> head.classify(vector));
                    return verdict(imageId, DetectionFusion.fuse(onVector, onPixels),
                            network.id() + FUSED_JOIN + head.id(), network.version() + FUSED_JOIN + head.version());
                }));
    }

    private static Outcome verdict(String imageId, HeadDecision decision, String modelId, String modelVersion) {
        return Outcomes.verdict(imageId, Stage.DETECTION, decision.decision(), decision.score(), decision.scores(),
                decision.threshold(), modelId, modelVersion);
    }

}
