package dev.aidetect.classifier.inference;

import java.nio.ByteBuffer;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import dev.aidetect.classifier.domain.IncomingRecord;
import dev.aidetect.classifier.domain.ModelSlot;
import dev.aidetect.classifier.domain.Outcome;
import dev.aidetect.heads.attribution.AttributionDecision;
import dev.aidetect.heads.attribution.AttributionNetwork;
import dev.aidetect.imaging.decode.DecodeLimits;
import dev.aidetect.imaging.decode.DecodedImage;
import dev.aidetect.imaging.decode.ImageDecoder;
import dev.aidetect.imaging.decode.ImageRejectedException;
import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageRequest;
import dev.aidetect.schemas.kafka.AvroSerde;

/**
 * The stages on pixels: consumes an attribution {@link StageRequest} carrying the image bytes, decodes them within
 * the pipeline's limits, and produces a verdict naming the generator (or {@code unknown}) from that family's network;
 * and, when the family stage runs on pixels, a family request the same way, giving gan or diffusion.
 */
@ApplicationScoped
public class ImageAttributor {
    private static final AvroSerde<StageRequest> REQUESTS = new AvroSerde<>(StageRequest.class);

    private final ModelRegistry models;
    private final InferenceMetrics metrics;
    private final ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults());

    public ImageAttributor(ModelRegistry models, InferenceMetrics metrics) {
        this.models = models;
        this.metrics = metrics;
    }

    /** @param family the family whose request topic {@code in} came from */
    public Outcome attribute(String family, IncomingRecord in) {
        return Outcomes.run(in, Stage.ATTRIBUTION, REQUESTS, StageRequest::getImageId, StageRequest::getLabel,
                request -> {
                    if (request.getFamily() != null && !request.getFamily().equals(family)) {
                        throw new RejectedInputException(RejectReason.BAD_RECORD, "attribution request for family '"
                                + request.getFamily() + "' arrived on " + in.topic() + ", the " + family
                                + " topic; the router must send it to the topic of its family");
                    }
                    DecodedImage image = decode(request, "the router must inline the image bytes");
                    AttributionNetwork network = models.attributionNetwork(family);
                    AttributionDecision decision = metrics.time(Stage.ATTRIBUTION, network.id(),
                            () -> network.attribute(image.rgb()));
                    return Outcomes.verdict(in.imageIdOr(request.getImageId()), Stage.ATTRIBUTION,
                            decision.decision(), decision.score(), decision.scores(), decision.threshold(),
                            network.id(), network.version());
                });
    }

    /**
     * GAN or diffusion from the image's pixels, when the family stage runs a family network: the likelier family is
     * decided, its probability is the score.
     */
    public Outcome classifyFamily(IncomingRecord in) {
        return Outcomes.run(in, Stage.FAMILY, REQUESTS, StageRequest::getImageId, StageRequest::getLabel, request -> {
            DecodedImage image = decode(request, "the family stage here runs a network on pixels ("
                    + ModelSlot.FAMILY_NETWORK.environmentVariable() + "), so set the router option "
                    + "aidetect.router.family-request-image=true to attach the image to family requests");
            AttributionNetwork network = models.familyNetwork().orElseThrow(() -> new IllegalStateException(
                    "the family network is not loaded: " + models.statuses().get(ModelSlot.FAMILY_NETWORK)));
            AttributionDecision decision = metrics.time(Stage.FAMILY, network.id(),
                    () -> network.attribute(image.rgb()));
            // An argmax over the families: the decided one is at least as likely as 1 / (number of families).
            return Outcomes.verdict(in.imageIdOr(request.getImageId()), Stage.FAMILY, decision.decision(),
                    decision.score(), decision.scores(), 1.0 / decision.scores().size(), network.id(),
                    network.version());
        });
    }

    /** @param fix what the producer of the request must do when it carries no image bytes */
    private DecodedImage decode(StageRequest request, String fix) {
        ImageContent image = request.getImage();
        ByteBuffer content = image == null ? null : image.getContent();
        if (content == null) {
            String got = image != null && image.getUri() != null
                    ? "only a uri (" + image.getUri() + "), which this stage does not fetch"
                    : "no image";
            throw new RejectedInputException(RejectReason.MISSING_CONTENT, request.getStage().name().toLowerCase(
                    Locale.ROOT) + " request for image " + request.getImageId() + " carries " + got + "; " + fix);
        }
        byte[] bytes = new byte[content.remaining()];
        content.duplicate().get(bytes);
        try {
            return decoder.decode(bytes);
        } catch (ImageRejectedException e) {
            throw new RejectedInputException(e.reason(), e.getMessage(), e);
        }
    }
}
