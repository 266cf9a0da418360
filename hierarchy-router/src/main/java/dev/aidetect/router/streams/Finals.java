package dev.aidetect.router.streams;

import java.time.Instant;
import java.util.List;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.Rejection;
import dev.aidetect.schemas.RouterCase;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageVerdict;

/**
 * Final verdicts of cases. Whatever the ending, the verdict carries what the route decided so far (authenticity and
 * score from detection, as the router reads it: UNCERTAIN within the uncertain band; family, generator), the path,
 * and the submission's passthrough fields.
 */
final class Finals {
    private final CaseRouter router;

    Finals(CaseRouter router) {
        this.router = router;
    }

    FinalVerdict decided(RouterCase c, List<StageVerdict> path, long now) {
        return of(c, FinalStatus.DECIDED, path, now).build();
    }

    FinalVerdict rejected(RouterCase c, List<StageVerdict> path, Rejection rejection, long now) {
        return of(c, FinalStatus.REJECTED, path, now).setRejection(rejection).build();
    }

    /** A case that waited too long for {@code waitingFor}; also the progress report of an open case. */
    FinalVerdict timedOut(RouterCase c, List<StageVerdict> path, Stage waitingFor, long now) {
        return of(c, FinalStatus.TIMED_OUT, path, now).setWaitingFor(waitingFor).build();
    }

    /** {@code verdict} when the route went through it (a stage that is not configured is not on the path). */
    private static StageVerdict onPath(List<StageVerdict> path, StageVerdict verdict) {
        return verdict != null && path.contains(verdict) ? verdict : null;
    }

    private FinalVerdict.Builder of(RouterCase c, FinalStatus status, List<StageVerdict> path, long now) {
        StageVerdict detection = onPath(path, c.getDetectionVerdict());
        StageVerdict family = onPath(path, c.getFamilyVerdict());
        StageVerdict attribution = onPath(path, c.getAttributionVerdict());
        Authenticity authenticity = detection == null ? null : router.authenticity(detection);
        return FinalVerdict.newBuilder()
                .setImageId(c.getImageId())
                .setStatus(status)
                .setAuthenticity(authenticity == null ? Authenticity.UNKNOWN : authenticity)
                .setScore(detection == null ? null : detection.getScore())
                .setFamily(family == null ? null : CaseRouter.family(family))
                .setGenerator(attribution == null ? null : attribution.getDecision())
                .setPath(List.copyOf(path))
                .setSubmittedAt(c.getSubmittedAt())
                .setFinalizedAt(Instant.ofEpochMilli(now))
                .setLatencyMillis(c.getSubmitted() ? now - c.getSubmittedAt().toEpochMilli() : -1)
                .setSource(c.getSource())
                .setAttributes(c.getAttributes())
                .setLabel(c.getLabel())
                .setEncodedBy(c.getEncodedBy());
    }
}
