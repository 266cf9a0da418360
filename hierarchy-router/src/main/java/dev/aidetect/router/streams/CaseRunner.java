package dev.aidetect.router.streams;

import java.time.Duration;
import java.util.function.LongSupplier;

import dev.aidetect.router.config.RouterConfig;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageReceived;
import dev.aidetect.schemas.ImageRejected;
import dev.aidetect.schemas.Rejections;
import dev.aidetect.schemas.RouterCase;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageRequest;
import dev.aidetect.schemas.StageVerdict;

/**
 * One case walked down the hierarchy in the caller's thread, without Kafka, a store or a clock of its own: the
 * router's own rules ({@link Cases} folds the records in and makes the requests, {@link CaseRouter} decides the next
 * step, {@link Finals} writes the final verdict), with the stages answered by a caller's {@link Stages} instead of
 * the classifier's topics. What {@code aidetect eval --offline} runs, so its finals are the ones the router would
 * publish for the same stage verdicts. Framework-free: it needs the schemas on the classpath, nothing of Quarkus or
 * Kafka Streams. Stage timeouts do not apply: a stage answers or rejects before the call returns.
 */
public final class CaseRunner {
    /** The classifier's stages, answered in process. */
    public interface Stages {
        /** The detection verdict on an embedding (what the classifier reads from images.embedded). */
        StageOutcome detect(ImageEmbedding embedding);

        /** The verdict on a request the router sends (FAMILY with the vector; ATTRIBUTION with the family). */
        StageOutcome decide(StageRequest request);
    }

    /** What a stage answered: a verdict, or a rejection that ends the case. */
    public sealed interface StageOutcome {
        record Verdict(StageVerdict verdict) implements StageOutcome {
        }

        record Rejected(ImageRejected rejection) implements StageOutcome {
        }
    }

    private final RouterSettings settings;
    private final CaseRouter router;
    private final Finals finals;

    /**
     * A runner that routes as the service does with its defaults (every stage, the default uncertain band, no pixels
     * on family requests), built without the configuration framework ({@link RouterSettings#defaults()} needs
     * SmallRye Config); the timeouts do not apply to a runner. {@code CaseRunnerTest} checks it against the defaults.
     */
    public static CaseRunner withServiceDefaults() {
        return new CaseRunner(new RouterSettings(RouterSettings.HIERARCHY, Duration.ofMinutes(1), Duration.ofSeconds(1),
                Duration.ofHours(1), false, null, Double.parseDouble(RouterConfig.DEFAULT_UNCERTAIN_BAND)));
    }

    /** The settings this runner routes with. */
    public RouterSettings settings() {
        return settings;
    }

    public CaseRunner(RouterSettings settings) {
        this.settings = settings;
        this.router = new CaseRouter(settings);
        this.finals = new Finals(router);
    }

    /**
     * The final verdict of an image the embedder embedded: the receipt and the embedding folded into a new case, then
     * each stage the router asks for answered by {@code stages} until the case ends.
     *
     * @param clock the wall clock in milliseconds: when the case opens, each request is made and the final is written
     */
    public FinalVerdict run(ImageReceived receipt, ImageEmbedding embedding, Stages stages, LongSupplier clock) {
        RouterCase c = Cases.open(receipt.getImageId(), clock.getAsLong());
        Cases.apply(c, new CaseEvent.Submitted(receipt));
        Cases.apply(c, new CaseEvent.Embedded(embedding));
        while (true) {
            switch (router.next(c)) {
                case CaseRouter.Decided decided -> {
                    return finals.decided(c, decided.path(), clock.getAsLong());
                }
                case CaseRouter.Unroutable unroutable -> {
                    return finals.rejected(c, unroutable.path(),
                            Rejections.rejection(Stage.ROUTING, unroutable.reason(), unroutable.problem()),
                            clock.getAsLong());
                }
                case CaseRouter.Waiting waiting -> {
                    StageOutcome outcome = answer(c, waiting, embedding, stages, clock.getAsLong());
                    switch (outcome) {
                        case StageOutcome.Verdict verdict ->
                            Cases.apply(c, new CaseEvent.Verdict(waiting.stage(), verdict.verdict()));
                        case StageOutcome.Rejected rejected -> {
                            return rejected(c, rejected.rejection(), clock.getAsLong());
                        }
                    }
                }
            }
        }
    }

    /** The final verdict of an image the embedder refused: its receipt, then its rejection. */
    public FinalVerdict rejected(ImageReceived receipt, ImageRejected rejection, long now) {
        RouterCase c = Cases.open(receipt.getImageId(), now);
        Cases.apply(c, new CaseEvent.Submitted(receipt));
        return rejected(c, rejection, now);
    }

    private FinalVerdict rejected(RouterCase c, ImageRejected rejection, long now) {
        return finals.rejected(c, router.next(c).path(), Cases.rejection(c, rejection), now);
    }

    private StageOutcome answer(RouterCase c, CaseRouter.Waiting waiting, ImageEmbedding embedding, Stages stages,
            long now) {
        if (waiting.stage() == Stage.DETECTION) {
            return stages.detect(embedding);
        }
        if (!waiting.request()) {
            // With the submission and the embedding folded in, the router waits only for a stage it asks for now.
            throw new IllegalStateException("case " + c.getImageId() + " waits for " + waiting.stage()
                    + " without asking for it; the router's rules changed and this runner must follow");
        }
        StageRequest request = Cases.request(c, waiting.stage(), router, settings, now);
        Cases.markRequested(c, waiting.stage());
        return stages.decide(request);
    }
}
