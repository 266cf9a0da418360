package dev.aidetect.tools.bench;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageSubmitted;

/**
 * The stream {@code bench pipeline} submits, decided before it starts: which image each submission is (phone-size or
 * small, spread evenly at the asked share; within each kind the images in turn, so reals and fakes alternate) and
 * whether it goes inline or by uri (the asked share of each kind's reals and of its fakes, scattered so that every
 * image of a set goes both ways over a long run).
 */
final class Submissions {
    static final String SOURCE = "bench-pipeline";
    private static final double GOLDEN = 0.6180339887498949;

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
        // per kind and authenticity, how many went so far: the uri share is taken of each, so it holds reals and fakes
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < count; i++) {
            boolean phone = spreadHit(i, phoneShare);
            int k = phone ? phones++ : smalls++;
            List<PipelineImages.Image> kind = phone ? images.phone() : images.small();
            PipelineImages.Image image = kind.get(k % kind.size());
            int n = seen.merge(phone + "/" + image.fake(), 1, Integer::sum) - 1;
            plan.add(new Submission(i, String.format("%s-%05d", run, i), image, scattered(n, uriShare)));
        }
        return plan;
    }

    /**
     * Whether item {@code i} of a sequence is one of a {@code share} spread over it without a period (a Weyl sequence:
     * the fractional parts of i + 1 times the golden ratio): periodic picks would fall on the same images of a set that
     * repeats, always the same generator, say.
     */
    static boolean scattered(int i, double share) {
        return ((i + 1) * GOLDEN) % 1.0 < share;
    }

    /** Whether item {@code i} of a sequence is one of a {@code share} spread evenly over it (Bresenham's rule). */
    static boolean spreadHit(int i, double share) {
        return Math.floor((i + 1) * share) > Math.floor(i * share);
    }
}
