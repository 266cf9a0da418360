package dev.aidetect.router.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.RouterCase;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageVerdict;
import dev.aidetect.schemas.Topics;

/**
 * Decides a case's next step from what it has seen, whatever order that arrived in: wait (and maybe request a
 * stage), end decided, or end unroutable. REAL ends after detection, and so does UNCERTAIN (a detection score within
 * the uncertain band around its threshold: naming a generator would claim more than the detector knows); FAKE goes on
 * to the family stage (which needs the embedding's vector), then to that family's attribution stage (which needs a
 * reference to the submitted image's pixels, from the submission's receipt). A case ends decided only once its
 * submission's receipt is seen (INGEST), so the final verdict carries what the uploader sent. No store, no clock.
 */
public final class CaseRouter {
    /** What a case does next, with the verdicts on its route so far, in stage order. */
    public sealed interface Step {
        List<StageVerdict> path();
    }

    /** The case waits for {@code stage}; {@code request} says whether to send that stage its request now. */
    public record Waiting(Stage stage, boolean request, List<StageVerdict> path) implements Step {
    }

    /** Every configured stage decided: the case ends DECIDED. */
    public record Decided(List<StageVerdict> path) implements Step {
    }

    /**
     * The case cannot go on (a detection neither REAL nor FAKE, a family with no attribution stage): it ends REJECTED
     * by ROUTING for {@code reason}.
     */
    public record Unroutable(RejectReason reason, String problem, List<StageVerdict> path) implements Step {
    }

    private final RouterSettings settings;

    public CaseRouter(RouterSettings settings) {
        this.settings = settings;
    }

    /** The next step of {@code c}. */
    public Step next(RouterCase c) {
        List<StageVerdict> path = new ArrayList<>();
        for (Stage stage : settings.stages()) {
            StageVerdict verdict = verdictOf(c, stage);
            if (verdict == null) {
                return waitFor(c, stage, path);
            }
            path.add(verdict);
            String problem = problemWith(stage, verdict);
            if (problem != null) {
                return new Unroutable(RejectReason.OTHER, problem, path);
            }
            if (stage == Stage.DETECTION && authenticity(verdict) != Authenticity.FAKE) {
                break;
            }
        }
        return c.getSubmitted() ? new Decided(path) : new Waiting(Stage.INGEST, false, path);
    }

    /**
     * What the router makes of a detection verdict: UNCERTAIN when its score is strictly within its threshold ± the
     * uncertain band, else the decision, REAL or FAKE; {@code null} when the decision is neither.
     */
    public Authenticity authenticity(StageVerdict detection) {
        Authenticity decided = decision(detection);
        if (decided != null && Math.abs(detection.getScore() - detection.getThreshold()) < settings.uncertainBand()) {
            return Authenticity.UNCERTAIN;
        }
        return decided;
    }

    /** REAL or FAKE, as a detection verdict decided it, or {@code null} when it says neither. */
    static Authenticity decision(StageVerdict detection) {
        return switch (detection.getDecision().strip().toUpperCase(Locale.ROOT)) {
            case "REAL" -> Authenticity.REAL;
            case "FAKE" -> Authenticity.FAKE;
            default -> null;
        };
    }

    /** The known family a family verdict names (lower case), or {@code null} when it names none. */
    static String family(StageVerdict family) {
        String name = family.getDecision().strip().toLowerCase(Locale.ROOT);
        return Topics.FAMILIES.contains(name) ? name : null;
    }

    /** The family whose attribution stage {@code c} goes to: its family verdict's, or the configured one. */
    String attributionFamily(RouterCase c) {
        return settings.stages().contains(Stage.FAMILY) ? family(c.getFamilyVerdict()) : settings.attributionFamily();
    }

    static StageVerdict verdictOf(RouterCase c, Stage stage) {
        return switch (stage) {
            case DETECTION -> c.getDetectionVerdict();
            case FAMILY -> c.getFamilyVerdict();
            case ATTRIBUTION -> c.getAttributionVerdict();
            default -> throw new IllegalArgumentException("the router runs no " + stage + " stage");
        };
    }

    private Step waitFor(RouterCase c, Stage stage, List<StageVerdict> path) {
        if (stage == Stage.DETECTION) {
            // The classifier reads images.embedded itself; until the embedding shows up, the embedder is behind.
            return new Waiting(c.getVector() == null ? Stage.EMBEDDING : Stage.DETECTION, false, path);
        }
        if (c.getRequested().contains(stage)) {
            return new Waiting(stage, false, path);
        }
        if (stage == Stage.FAMILY && c.getVector() == null) {
            return new Waiting(Stage.EMBEDDING, false, path);
        }
        if (settings.needsPixels(stage) && !c.getSubmitted()) {
            // The request carries the reference to the pixels, which comes with the submission's receipt.
            return new Waiting(Stage.INGEST, false, path);
        }
        return new Waiting(stage, true, path);
    }

    private static String problemWith(Stage stage, StageVerdict verdict) {
        if (stage == Stage.DETECTION && decision(verdict) == null) {
            return "detection verdict '" + verdict.getDecision() + "' is neither REAL nor FAKE;"
                    + " the detection head must decide one of the two";
        }
        if (stage == Stage.FAMILY && family(verdict) == null) {
            return "family verdict '" + verdict.getDecision() + "' names no family with an attribution stage "
                    + Topics.FAMILIES + "; train the family head on these classes";
        }
        return null;
    }
}
