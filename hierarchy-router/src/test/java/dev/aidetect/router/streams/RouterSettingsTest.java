package dev.aidetect.router.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.Stage;

class RouterSettingsTest {
    private final RouterSettings defaults = RouterSettings.defaults();

    @Test
    void acceptsEveryPrefixOfTheHierarchy() {
        assertThat(defaults.withStages(Stage.DETECTION).stages()).containsExactly(Stage.DETECTION);
        assertThat(defaults.withStages(Stage.DETECTION, Stage.FAMILY).stages())
                .containsExactly(Stage.DETECTION, Stage.FAMILY);
        assertThat(defaults.stages()).isEqualTo(RouterSettings.HIERARCHY);
    }

    @Test
    void refusesStagesThatDoNotStartWithDetectionOrRunAttributionFirst() {
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withStages(Stage.FAMILY))
                .withMessageContaining("aidetect.router.stages").withMessageContaining("DETECTION,FAMILY");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> defaults.withStages(Stage.DETECTION, Stage.ATTRIBUTION, Stage.FAMILY));
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withStages());
    }

    @Test
    void skippingFamilyNeedsAKnownAttributionFamily() {
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withStages(Stage.DETECTION, Stage.ATTRIBUTION))
                .withMessageContaining("aidetect.router.attribution-family").withMessageContaining("[gan, diffusion]");
        assertThatIllegalArgumentException().isThrownBy(
                () -> defaults.withAttributionFamily("vae").withStages(Stage.DETECTION, Stage.ATTRIBUTION));
        assertThat(defaults.withAttributionFamily("gan").withStages(Stage.DETECTION, Stage.ATTRIBUTION).stages())
                .containsExactly(Stage.DETECTION, Stage.ATTRIBUTION);
    }

    @Test
    void refusesANonPositiveStageTimeout() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RouterSettings(List.of(Stage.DETECTION), Duration.ZERO, Duration.ofSeconds(1),
                        Duration.ofHours(1)))
                .withMessageContaining("aidetect.router.stage-timeout");
    }

    @Test
    void theLongestCaseIsAStageTimeoutForTheReceiptTheEmbeddingAndEachConfiguredStage() {
        RouterSettings settings = new RouterSettings(RouterSettings.HIERARCHY, Duration.ofSeconds(60),
                Duration.ofSeconds(1), Duration.ofHours(1));

        assertThat(settings.longestCase()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.withStages(Stage.DETECTION).longestCase()).isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void readsPixelsOnlyWhenAConfiguredStageNeedsThem() {
        assertThat(defaults.readsPixels()).as("attribution").isTrue();
        assertThat(defaults.withStages(Stage.DETECTION).readsPixels()).isFalse();
        assertThat(defaults.withStages(Stage.DETECTION, Stage.FAMILY).readsPixels()).isFalse();
        assertThat(defaults.withFamilyRequestImage(true).withStages(Stage.DETECTION, Stage.FAMILY).readsPixels())
                .isTrue();
    }

    @Test
    void refusesAnUncertainBandBelowZeroOrOfHalfTheScaleAndMore() {
        assertThat(defaults.uncertainBand()).isEqualTo(0.05);
        assertThat(defaults.withUncertainBand(0).uncertainBand()).isZero();
        for (double band : new double[]{-0.01, 0.5, 1, Double.NaN}) {
            assertThatIllegalArgumentException().isThrownBy(() -> defaults.withUncertainBand(band))
                    .withMessageContaining("aidetect.router.uncertain-band is " + band)
                    .withMessageContaining("below 0.5");
        }
    }
}
