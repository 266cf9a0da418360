package dev.aidetect.classifier.inference;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.aidetect.classifier.config.ClassifierConfig;
import dev.aidetect.classifier.domain.IncomingRecord;
import dev.aidetect.classifier.domain.ModelSlot;
import dev.aidetect.classifier.domain.Outcome;
import dev.aidetect.classifier.originals.OriginalImages;
import dev.aidetect.heads.attribution.AttributionDecision;
import dev.aidetect.heads.attribution.AttributionNetwork;
import dev.aidetect.imaging.decode.DecodedImage;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageRequest;
import dev.aidetect.schemas.kafka.AvroSerde;

/**
 * The stages on pixels: consumes attribution {@link StageRequest}s, finds each image by its reference
 * ({@link OriginalImages}: the submission's uri, or its images.ingest record), decodes it within the classifier's
 * limits ({@code aidetect.classifier.max-bytes}, ...), and produces a verdict naming the generator (or
 * {@code unknown}) from that family's network; and, when the family stage runs on pixels, family requests the same
 * way, giving gan or diffusion.
 */
@ApplicationScoped
public class ImageAttributor {
    private static final AvroSerde<StageRequest> REQUESTS = new AvroSerde<>(StageRequest.class);

    private final ModelRegistry models;
    private final InferenceMetrics metrics;
    private final OriginalImages originals;
    private final ImageDecoding decoder;

    public ImageAttributor(ModelRegistry models, InferenceMetrics metrics, OriginalImages originals,
            ClassifierConfig config) {
        this.models = models;
        this.metrics = metrics;
        this.originals = originals;
        this.decoder = new ImageDecoding(config);
    }

    /**
     * One outcome per record of a poll, in order.
     *
     * @param family the family whose request topic the poll came from
     */
    public List<Outcome> attribute(String family, List<IncomingRecord> poll) {
        // One batch: every record of the poll is decided by the network serving at its first record.
        return models.batch(() -> attributeAll(family, poll));
    }

    private List<Outcome> attributeAll(String family, List<IncomingRecord> poll) {
        return originals.decideAll(poll, (in, images) -> Outcomes.run(in, Stage.ATTRIBUTION, REQUESTS,
                StageRequest::getImageId, StageRequest::getLabel, request -> {
                    if (request.getFamily() != null && !request.getFamily().equals(family)) {
                        throw new RejectedInputException(RejectReason.BAD_RECORD, "attribution request for family '"
                                + request.getFamily() + "' arrived on " + in.topic() + ", the " + family
                                + " topic; the router must send it to the topic of its family");
                    }
                    DecodedImage image = decoder.decode(images.bytesOf(request,
                            "the router must set original on attribution requests"));
                    AttributionNetwork network = models.attributionNetwork(family);
                    AttributionDecision decision = metrics.time(Stage.ATTRIBUTION, network.id(),
                            () -> network.attribute(image.rgb()));
                    return Outcomes.verdict(in.imageIdOr(request.getImageId()), Stage.ATTRIBUTION,
                            decision.decision(), decision.score(), decision.scores(), decision.threshold(),
                            network.id(), network.version());
                }));
    }

    /**
     * GAN or diffusion from the images' pixels, when the family stage runs a family network: the likelier family is
     * decided, its probability is the score. One outcome per record of a poll, in order.
     */
    public List<Outcome> classifyFamily(List<IncomingRecord> poll) {
        return models.batch(() -> classifyAll(poll));
    }

    private List<Outcome> classifyAll(List<IncomingRecord> poll) {
        return originals.decideAll(poll, (in, images) -> Outcomes.run(in, Stage.FAMILY, REQUESTS,
                StageRequest::getImageId, StageRequest::getLabel, request -> {
                    DecodedImage image = decoder.decode(images.bytesOf(request,
                            "the family stage here runs a network on "
                                    + "pixels (" + ModelSlot.FAMILY_NETWORK.environmentVariable()
                                    + "), so set the router "
                                    + "option aidetect.router.family-request-image=true to name the image in family requests"));
                    AttributionNetwork network = models.familyNetwork().orElseThrow(() -> new IllegalStateException(
                            "the family network is not loaded: " + models.statuses().get(ModelSlot.FAMILY_NETWORK)));
                    AttributionDecision decision = metrics.time(Stage.FAMILY, network.id(),
                            () -> network.attribute(image.rgb()));
                    // An argmax over the families: the decided one is at least as likely as 1 / (number of families).
                    return Outcomes.verdict(in.imageIdOr(request.getImageId()), Stage.FAMILY, decision.decision(),
                            decision.score(), decision.scores(), 1.0 / decision.scores().size(), network.id(),
                            network.version());
                }));
    }
}
