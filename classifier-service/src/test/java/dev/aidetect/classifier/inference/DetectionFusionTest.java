package dev.aidetect.classifier.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.aidetect.heads.HeadDecision;

class DetectionFusionTest {
    @Test
    void twoModelsThatAgreeKeepTheirCall() {
        HeadDecision fused = DetectionFusion.fuse(fake(0.9, 0.5), fake(0.8, 0.5));

        assertThat(fused.decision()).isEqualTo("FAKE");
        assertThat(fused.threshold()).isCloseTo(0.5, within(1e-12));
        assertThat(fused.score()).isBetween(0.8, 0.9);
        assertThat(fused.scores()).containsOnlyKeys("REAL", "FAKE");
        assertThat(fused.scores().get("REAL") + fused.scores().get("FAKE")).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void aSureModelOutweighsAHesitantOneWhereTheMeanOfProbabilitiesWouldNot() {
        // logit(0.999) = 6.9, logit(0.3) = -0.85: the mean of logits is 3.0, P(FAKE) 0.95
        HeadDecision fused = DetectionFusion.fuse(fake(0.999, 0.5), fake(0.3, 0.5));

        assertThat(fused.decision()).isEqualTo("FAKE");
        assertThat(fused.score()).isCloseTo(DetectionFusion.sigmoid((DetectionFusion.logit(0.999)
                + DetectionFusion.logit(0.3)) / 2), within(1e-12)).isGreaterThan((0.999 + 0.3) / 2);
    }

    @Test
    void eachModelCountsFromItsOwnThreshold() {
        // the head calls FAKE from 0.8 on, the network from 0.2: both exactly at their thresholds is the fused
        // threshold (FAKE, as each alone would say); a little under both is REAL
        HeadDecision atThresholds = DetectionFusion.fuse(fake(0.8, 0.8), fake(0.2, 0.2));
        HeadDecision underBoth = DetectionFusion.fuse(fake(0.79, 0.8), fake(0.19, 0.2));

        assertThat(atThresholds.threshold()).isCloseTo(0.5, within(1e-9));
        assertThat(atThresholds.score()).isCloseTo(atThresholds.threshold(), within(1e-9));
        assertThat(atThresholds.decision()).isEqualTo("FAKE");
        assertThat(underBoth.decision()).isEqualTo("REAL");
    }

    @Test
    void aSaturatedModelGivesAFiniteScore() {
        HeadDecision fused = DetectionFusion.fuse(fake(1.0, 0.5), fake(0.0, 0.5));

        assertThat(fused.score()).isCloseTo(0.5, within(1e-9));
        assertThat(DetectionFusion.logit(1.0)).isFinite();
        assertThat(DetectionFusion.logit(0.0)).isFinite();
    }

    private static HeadDecision fake(double pFake, double threshold) {
        return new HeadDecision(pFake >= threshold ? "FAKE" : "REAL", pFake, Map.of("REAL", 1 - pFake, "FAKE",
                pFake), threshold);
    }
}
