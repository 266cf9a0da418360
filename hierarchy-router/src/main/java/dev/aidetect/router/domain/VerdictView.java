package dev.aidetect.router.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.aidetect.schemas.FinalVerdict;

/**
 * The answer of {@code GET /verdicts/{imageId}}: a finished case's final verdict, or an open case's progress (status
 * PENDING, {@code waitingFor} the stage it waits for, the path so far, no finalization yet).
 *
 * @param status DECIDED, REJECTED, TIMED_OUT, or PENDING while the case is open
 * @param authenticity REAL, FAKE, UNCERTAIN (the detection score within the router's band around its threshold), or
 *            UNKNOWN until detection decided
 * @param score the detection score (FAKE probability), when detection ran
 * @param waitingFor the stage the case waits for (PENDING) or waited for when it timed out
 * @param latencyMillis end-to-end latency of a finished case; -1 when its submission was never seen
 * @param encoder the encoder whose vector the stages judged, as {@code id:version}; null before the embedding
 */
public record VerdictView(String imageId, String status, String authenticity, Double score, String family,
        String generator, List<StageResult> path, RejectionView rejection, String waitingFor, Instant submittedAt,
        Instant finalizedAt, Long latencyMillis, String source, Map<String, String> attributes, String encoder) {
    public static final String PENDING = "PENDING";

    /** The view of a finished case. */
    public static VerdictView finished(FinalVerdict verdict) {
        return new VerdictView(verdict.getImageId(), verdict.getStatus().name(), verdict.getAuthenticity().name(),
                verdict.getScore(), verdict.getFamily(), verdict.getGenerator(),
                verdict.getPath().stream().map(StageResult::of).toList(), RejectionView.of(verdict.getRejection()),
                verdict.getWaitingFor() == null ? null : verdict.getWaitingFor().name(), submittedAt(verdict),
                verdict.getFinalizedAt(), verdict.getLatencyMillis(), verdict.getSource(),
                Map.copyOf(verdict.getAttributes()), verdict.getEncodedBy() == null
                        ? null
                        : verdict.getEncodedBy().getId() + ":" + verdict.getEncodedBy().getVersion());
    }

    /** The view of an open case, from the verdict it would get if it ended now. */
    public static VerdictView pending(FinalVerdict progress) {
        VerdictView v = finished(progress);
        return new VerdictView(v.imageId, PENDING, v.authenticity, v.score, v.family, v.generator, v.path, null,
                v.waitingFor, v.submittedAt, null, null, v.source, v.attributes, v.encoder);
    }

    private static Instant submittedAt(FinalVerdict verdict) {
        return verdict.getSubmittedAt().toEpochMilli() == 0 ? null : verdict.getSubmittedAt();
    }
}
