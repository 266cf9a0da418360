package dev.aidetect.classifier.inference;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.aidetect.classifier.config.ClassifierConfig;
import dev.aidetect.classifier.domain.DetectionInput;
import dev.aidetect.classifier.domain.IncomingRecord;
import dev.aidetect.classifier.domain.Outcome;
import dev.aidetect.classifier.originals.ImageReference;
import dev.aidetect.classifier.originals.OriginalImages;
import dev.aidetect.heads.VectorHead;
import dev.aidetect.imaging.decode.DecodedImage;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.kafka.AvroSerde;

/**
 * The detection stage on pixels ({@code detection-input=pixels} or {@code fused}): consumes {@link ImageEmbedding}s,
 * reads each image through the {@code original} the embedder wrote ({@link OriginalImages}: its uri, or its
 * images.ingest record; a poll's claim checks read together), decodes it within the classifier's limits, and produces
 * a REAL/FAKE verdict whose score is P(FAKE): the detection network's, or, fused, the head's and the network's combined
 * ({@link DetectionFusion}): the call itself is {@link PixelDetection}'s, shared with {@code eval --offline}. A pixels verdict names the network; a fused one names both, network first, as
 * {@code <network id>+<head id>} version {@code <network version>+<head version>}. An embedding without an original
 * is rejected MISSING_CONTENT.
 */
@ApplicationScoped
public class PixelDetector {
    private static final AvroSerde<ImageEmbedding> EMBEDDINGS = new AvroSerde<>(ImageEmbedding.class);

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
                    float[] vector = head == null
                            ? null
                            : PixelDetection.checked(head, embedding.getEncodedBy().getId(), embedding.getVector());
                    DecodedImage image = decoder.decode(images.bytesOf(ImageReference.of(embedding), "the "
                            + "detection stage here decides on pixels (" + ClassifierConfig.PREFIX
                            + ".detection-input=" + input.label() + "), so the embedder must name the image in "
                            + "ImageEmbedding.original (embedders of this version do); or set detection-input=vector"));
                    PixelDetection.Named named = PixelDetection.decide(models.detectionNetwork(), head, vector,
                            image.rgb(), (modelId, inference) -> metrics.time(Stage.DETECTION, modelId, inference));
                    return Outcomes.verdict(imageId, Stage.DETECTION, named.decision().decision(),
                            named.decision().score(), named.decision().scores(), named.decision().threshold(),
                            named.modelId(), named.modelVersion());
                }));
    }
}
