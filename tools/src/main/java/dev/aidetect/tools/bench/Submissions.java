package dev.aidetect.tools.bench;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageSubmitted;

/**
 * The stream {@code bench pipeline} submits, decided before it starts: which image each submission is (phone-size or
 * small, spread evenly at the asked share; within each kind the images in turn, so reals and fakes alternate) and
 * whether it goes inline or by uri (spread evenly at the asked share within each kind, so both kinds go both ways).
 */
final class Submissions {
    static final String SOURCE = "bench-pipeline";

    /** One planned submission. */
    record Submission(int index, String imageId, PipelineImages.Image image, boolean byUri) {
        /** The record as sent: the same fields give the same bytes, so a phase can write it again as it was. */
        ImageSubmitted toRecord(Instant submittedAt, ImageStore store) {
            ImageContent content = byUri
                    ? ImageContent.newBuilder().setContentType(image.contentType()).setUri(store.uriOf(image)).build()
                    : ImageContent.newBuilder().setContentType(image.contentType())
                            .setContent(ByteBuffer.wrap(image.bytes())).build();
            return ImageSubmitted.newBuilder().setImageId(imageId).setSubmittedAt(submittedAt).setSource(SOURCE)
                    .setImage(content).setLabel(image.label()).setAttributes(Map.of("bench.image", image.name(),
                            "bench.kind", image.phone() ? "phone" : "small", "bench.by", byUri ? "uri" : "inline"))
                    .build();
        }
    }

    private Submissions() {
    }

    /**
     * @param count how many
     * @param phoneShare the share of phone-size images, 0 to 1
     * @param uriShare the share of each kind submitted by uri, 0 to 1
     * @param run a prefix that makes the ids of this run unique
     */
    static List<Submission> plan(PipelineImages.Sets images, int count, double phoneShare, double uriShare,
            String run) {
        List<Submission> plan = new ArrayList<>(count);
        int phones = 0;
        int smalls = 0;
        for (int i = 0; i < count; i++) {
            boolean phone = spreadHit(i, phoneShare);
            int k = phone ? phones++ : smalls++;
            List<PipelineImages.Image> kind = phone ? images.phone() : images.small();
            plan.add(new Submission(i, String.format("%s-%05d", run, i), kind.get(k % kind.size()),
                    spreadHit(k, uriShare)));
        }
        return plan;
    }

    /** Whether item {@code i} of a sequence is one of a {@code share} spread evenly over it (Bresenham's rule). */
    static boolean spreadHit(int i, double share) {
        return Math.floor((i + 1) * share) > Math.floor(i * share);
    }
}
