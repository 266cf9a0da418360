package dev.aidetect.router.streams;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageReceived;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.Rejection;
import dev.aidetect.schemas.Rejections;
import dev.aidetect.schemas.RouterCase;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageRequest;
import dev.aidetect.schemas.StageVerdict;

/**
 * Folds the records of one image into its case, and makes the requests a case sends. The first record of each kind
 * wins: a second submission, embedding or verdict of the same stage is a duplicate and changes nothing. A case holds no
 * image bytes: the submission comes as its receipt, whose {@code original} says where the pixels are, and the requests
 * that need them carry that reference.
 */
final class Cases {
    private Cases() {
    }

    /** A new case that starts waiting now. */
    static RouterCase open(String imageId, long now) {
        return RouterCase.newBuilder().setImageId(imageId).setWaitingSince(Instant.ofEpochMilli(now)).build();
    }

    /**
     * Adds a submission, embedding or verdict to the case.
     *
     * @return whether the case changed; {@code false} for a duplicate
     */
    static boolean apply(RouterCase c, CaseEvent event) {
        return switch (event) {
            case CaseEvent.Submitted s -> submit(c, s.receipt());
            case CaseEvent.Embedded e -> embed(c, e.embedding());
            case CaseEvent.Verdict v -> decide(c, v.stage(), v.verdict());
            case CaseEvent.Rejected r -> throw new IllegalArgumentException(
                    "a rejection ends the case; it is not folded into it (image " + c.getImageId() + ")");
        };
    }

    /** The rejection a final verdict carries; the rejection's label stands in when the case has none. */
    static Rejection rejection(RouterCase c, ImageRejected rejected) {
        if (c.getLabel() == null) {
            c.setLabel(rejected.getLabel());
        }
        return Rejections.carried(rejected);
    }

    /** Marks {@code stage} as requested, so the request is sent once however often the case is looked at. */
    static void markRequested(RouterCase c, Stage stage) {
        List<Stage> requested = new ArrayList<>(c.getRequested());
        requested.add(stage);
        c.setRequested(requested);
    }

    /**
     * The request for {@code stage}: FAMILY carries the vector (and the reference to the pixels when configured),
     * ATTRIBUTION the reference to the pixels and the family to tell apart. {@code image} stays null: no request
     * carries image bytes.
     */
    static StageRequest request(RouterCase c, Stage stage, CaseRouter router, RouterSettings settings, long now) {
        StageRequest.Builder request = StageRequest.newBuilder()
                .setImageId(c.getImageId())
                .setStage(stage)
                .setSubmittedAt(c.getSubmittedAt())
                .setRequestedAt(Instant.ofEpochMilli(now))
                .setLabel(c.getLabel());
        if (stage == Stage.FAMILY) {
            return request.setVector(c.getVector()).setEncodedBy(c.getEncodedBy())
                    .setOriginal(settings.needsPixels(stage) ? c.getOriginal() : null).build();
        }
        return request.setFamily(router.attributionFamily(c)).setOriginal(c.getOriginal()).build();
    }

    private static boolean submit(RouterCase c, ImageReceived receipt) {
        if (c.getSubmitted()) {
            return false;
        }
        c.setSubmitted(true);
        c.setSubmittedAt(receipt.getSubmittedAt());
        c.setSource(receipt.getSource());
        c.setAttributes(receipt.getAttributes());
        c.setOriginal(receipt.getOriginal());
        if (receipt.getLabel() != null) {
            c.setLabel(receipt.getLabel());
        }
        return true;
    }

    private static boolean embed(RouterCase c, ImageEmbedding embedding) {
        if (c.getVector() != null) {
            return false;
        }
        c.setVector(embedding.getVector());
        c.setEncodedBy(embedding.getEncodedBy());
        if (!c.getSubmitted()) {
            c.setSubmittedAt(embedding.getSubmittedAt());
        }
        if (c.getLabel() == null) {
            c.setLabel(embedding.getLabel());
        }
        return true;
    }

    private static boolean decide(RouterCase c, Stage stage, StageVerdict verdict) {
        if (CaseRouter.verdictOf(c, stage) != null) {
            return false;
        }
        switch (stage) {
            case DETECTION -> c.setDetectionVerdict(verdict);
            case FAMILY -> c.setFamilyVerdict(verdict);
            default -> c.setAttributionVerdict(verdict);
        }
        return true;
    }
}
