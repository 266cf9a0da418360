package dev.aidetect.router.streams;

import java.time.Duration;
import java.util.List;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.SmallRyeConfigBuilder;

import dev.aidetect.router.config.RouterConfig;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.Topics;

/**
 * What the case topology needs to know, free of the configuration framework so tests build it directly.
 *
 * @param stages the stages a case runs through: one of {@link #CHOICES}
 * @param stageTimeout how long a case may wait for one stage
 * @param punctuateInterval how often timeouts and expired closed markers are looked for (wall clock)
 * @param closedRetention the least time a finished case's closed marker is kept (until its final is read back)
 * @param familyRequestImage whether the family request carries the reference to the submitted image's pixels as well
 *            as the vector
 * @param attributionFamily the family whose attribution stage FAKE images go to when the stages skip FAMILY; else
 *            {@code null}
 * @param uncertainBand a detection score strictly within the detection's threshold ± this band ends the case
 *            UNCERTAIN after detection; 0 never does
 */
public record RouterSettings(List<Stage> stages, Duration stageTimeout, Duration punctuateInterval,
        Duration closedRetention, boolean familyRequestImage, String attributionFamily, double uncertainBand) {
    /** Every stage the router knows, in the order a fake image goes through them. */
    public static final List<Stage> HIERARCHY = List.of(Stage.DETECTION, Stage.FAMILY, Stage.ATTRIBUTION);
    /** The stage lists the router runs: stop after detection or family, skip family, or all three. */
    public static final List<List<Stage>> CHOICES = List.of(List.of(Stage.DETECTION),
            List.of(Stage.DETECTION, Stage.FAMILY), List.of(Stage.DETECTION, Stage.ATTRIBUTION), HIERARCHY);

    public RouterSettings {
        stages = List.copyOf(stages);
        if (!CHOICES.contains(stages)) {
            throw new IllegalArgumentException("aidetect.router.stages is " + stages
                    + " but must be DETECTION, DETECTION,FAMILY, DETECTION,ATTRIBUTION or DETECTION,FAMILY,ATTRIBUTION"
                    + " (detection first; attribution after family, or instead of it with a configured family)");
        }
        if (stages.contains(Stage.ATTRIBUTION) && !stages.contains(Stage.FAMILY)
                && (attributionFamily == null || !Topics.FAMILIES.contains(attributionFamily))) {
            throw new IllegalArgumentException("aidetect.router.stages DETECTION,ATTRIBUTION skips the family stage,"
                    + " so aidetect.router.attribution-family must name the family whose attribution stage FAKE"
                    + " images go to, one of " + Topics.FAMILIES + " (it is '" + attributionFamily
                    + "'); or run DETECTION,FAMILY,ATTRIBUTION");
        }
        requirePositive("aidetect.router.stage-timeout", stageTimeout);
        requirePositive("aidetect.router.punctuate-interval", punctuateInterval);
        requirePositive("aidetect.router.closed-retention", closedRetention);
        if (!(uncertainBand >= 0 && uncertainBand < 0.5)) {
            throw new IllegalArgumentException("aidetect.router.uncertain-band is " + uncertainBand
                    + " but must be at least 0 (0: never UNCERTAIN) and below 0.5: a detection score within the"
                    + " threshold ± this band ends UNCERTAIN, and 0.5 around a threshold of 0.5 would be every score;"
                    + " e.g. 0.05");
        }
    }

    /** The service's defaults for everything but these four. */
    public RouterSettings(List<Stage> stages, Duration stageTimeout, Duration punctuateInterval,
            Duration closedRetention) {
        this(stages, stageTimeout, punctuateInterval, closedRetention, Defaults.VALUE.familyRequestImage, null,
                Defaults.VALUE.uncertainBand);
    }

    /** The settings of the running service. */
    public static RouterSettings of(RouterConfig config) {
        return new RouterSettings(config.stages(), config.stageTimeout(), config.punctuateInterval(),
                config.closedRetention(), config.familyRequestImage(), config.attributionFamily().orElse(null),
                config.uncertainBand());
    }

    /**
     * The service's defaults, read from {@link RouterConfig}'s {@code @WithDefault}s (their one source) with no
     * property set.
     */
    public static RouterSettings defaults() {
        return Defaults.VALUE;
    }

    /** Read once, when first asked for. */
    private static final class Defaults {
        static final RouterSettings VALUE = of(new SmallRyeConfigBuilder().withMapping(RouterConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter()).build()
                .getConfigMapping(RouterConfig.class));
    }

    /** The same settings running only {@code stages}. */
    public RouterSettings withStages(Stage... stages) {
        return new RouterSettings(List.of(stages), stageTimeout, punctuateInterval, closedRetention,
                familyRequestImage, attributionFamily, uncertainBand);
    }

    /** The same settings, with or without the reference to the pixels on family requests. */
    public RouterSettings withFamilyRequestImage(boolean withImage) {
        return new RouterSettings(stages, stageTimeout, punctuateInterval, closedRetention, withImage,
                attributionFamily, uncertainBand);
    }

    /** The same settings, sending FAKE images to {@code family}'s attribution stage when FAMILY is skipped. */
    public RouterSettings withAttributionFamily(String family) {
        return new RouterSettings(stages, stageTimeout, punctuateInterval, closedRetention, familyRequestImage,
                family, uncertainBand);
    }

    /** The same settings, ending a case UNCERTAIN when its detection score is within threshold ± {@code band}. */
    public RouterSettings withUncertainBand(double band) {
        return new RouterSettings(stages, stageTimeout, punctuateInterval, closedRetention, familyRequestImage,
                attributionFamily, band);
    }

    /** Whether the request to {@code stage} carries the reference to the submitted image's pixels. */
    public boolean needsPixels(Stage stage) {
        return stage == Stage.ATTRIBUTION || stage == Stage.FAMILY && familyRequestImage;
    }

    /** Whether a configured stage reads the pixels by reference, so images.ingest must keep them for a whole case. */
    public boolean readsPixels() {
        return stages.stream().anyMatch(this::needsPixels);
    }

    /**
     * The longest a case can stay open: it waits at most {@code stageTimeout} for each thing it can wait for in turn
     * (the submission's receipt, the embedding, then each configured stage). A stage reads the pixels by reference
     * within that time, so images.ingest must retain its records at least this long after they were written.
     */
    public Duration longestCase() {
        return stageTimeout.multipliedBy(stages.size() + 2L);
    }

    private static void requirePositive(String property, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(
                    property + " is " + value + " but must be a positive duration, e.g. 60s");
        }
    }
}
