package dev.aidetect.router.streams;

import java.time.Duration;
import java.util.List;

import dev.aidetect.router.config.RouterConfig;
import dev.aidetect.schemas.Stage;

/**
 * What the case topology needs to know, free of the configuration framework so tests build it directly.
 *
 * @param stages the stages a case runs through: a prefix of {@link #HIERARCHY}
 * @param stageTimeout how long a case may wait for one stage
 * @param punctuateInterval how often timeouts and expired closed markers are looked for (wall clock)
 * @param closedRetention how long a finished case's verdict is kept
 */
public record RouterSettings(List<Stage> stages, Duration stageTimeout, Duration punctuateInterval,
        Duration closedRetention) {
    /** Every stage the router knows, in the order a fake image goes through them. */
    public static final List<Stage> HIERARCHY = List.of(Stage.DETECTION, Stage.FAMILY, Stage.ATTRIBUTION);

    public RouterSettings {
        stages = List.copyOf(stages);
        if (stages.isEmpty() || stages.size() > HIERARCHY.size()
                || !HIERARCHY.subList(0, stages.size()).equals(stages)) {
            throw new IllegalArgumentException("aidetect.router.stages is " + stages
                    + " but must be DETECTION, DETECTION,FAMILY or DETECTION,FAMILY,ATTRIBUTION"
                    + " (each stage needs the verdict of the one before it)");
        }
        requirePositive("aidetect.router.stage-timeout", stageTimeout);
        requirePositive("aidetect.router.punctuate-interval", punctuateInterval);
        requirePositive("aidetect.router.closed-retention", closedRetention);
    }

    /** The settings of the running service. */
    public static RouterSettings of(RouterConfig config) {
        return new RouterSettings(config.stages(), config.stageTimeout(), config.punctuateInterval(),
                config.closedRetention());
    }

    /** Every stage, 60 s stage timeout, 1 s punctuation, 1 h retention: the service's defaults. */
    public static RouterSettings defaults() {
        return new RouterSettings(HIERARCHY, Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofHours(1));
    }

    /** The same settings running only {@code stages}. */
    public RouterSettings withStages(Stage... stages) {
        return new RouterSettings(List.of(stages), stageTimeout, punctuateInterval, closedRetention);
    }

    private static void requirePositive(String property, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(
                    property + " is " + value + " but must be a positive duration, e.g. 60s");
        }
    }
}
