package dev.aidetect.tools.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.aidetect.heads.HeadAlgorithm;
import dev.aidetect.heads.HeadReduction;
import dev.aidetect.heads.HeadStage;
import dev.aidetect.heads.HeadTrainingOptions;
import dev.aidetect.heads.ScoreCalibration;
import dev.aidetect.heads.ThresholdRule;
import dev.aidetect.tools.train.HeadPlan.Compared;

/** {@code train heads}' plan: which heads {@code --compare --stage} chooses, and what the others are trained with. */
class HeadPlanTest {
    @Test
    void stageParsesInAnyCaseAndAnUnknownOneListsTheThree() {
        assertThat(Compared.of("Detection")).isEqualTo(Compared.DETECTION);
        assertThat(Compared.of("family")).isEqualTo(Compared.FAMILY);
        assertThat(Compared.of("BOTH")).isEqualTo(Compared.BOTH);
        assertThatThrownBy(() -> Compared.of("attribution")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown stage 'attribution'; use detection, family or both");
    }

    @Test
    void comparesOnlyTheHeadsOfTheStageGiven() {
        assertThat(plan(Compared.DETECTION).compares(HeadStage.DETECTION)).isTrue();
        assertThat(plan(Compared.DETECTION).compares(HeadStage.FAMILY)).isFalse();
        assertThat(plan(Compared.FAMILY).compares(HeadStage.DETECTION)).isFalse();
        assertThat(plan(Compared.FAMILY).compares(HeadStage.FAMILY)).isTrue();
        assertThat(plan(Compared.BOTH).compares(HeadStage.DETECTION)).isTrue();
        assertThat(plan(Compared.BOTH).compares(HeadStage.FAMILY)).isTrue();
    }

    @Test
    void defaultsAreTheDemosHeadsAndCompareNothing() {
        HeadPlan plan = HeadPlan.defaults();

        assertThat(plan.algorithm()).isEqualTo(HeadAlgorithm.LOGISTIC_REGRESSION);
        assertThat(plan.compares(HeadStage.DETECTION)).isFalse();
        assertThat(plan.compares(HeadStage.FAMILY)).isFalse();
        assertThat(plan.apply(HeadTrainingOptions.detection("clip"))).isEqualTo(HeadTrainingOptions.detection("clip"));
    }

    @Test
    void appliesItsPcaThresholdAndCalibrationAndKeepsTheRest() {
        HeadPlan plan = new HeadPlan(HeadAlgorithm.LOGISTIC_REGRESSION, HeadReduction.pca(8), null, 5,
                ThresholdRule.targetFpr(0.05), ScoreCalibration.PLATT, HeadPlan.SEEDS_DIMENSIONS, 30);

        HeadTrainingOptions options = plan.apply(HeadTrainingOptions.detection("clip"));

        assertThat(options.reduction()).isEqualTo(HeadReduction.pca(8));
        assertThat(options.threshold()).isEqualTo(ThresholdRule.targetFpr(0.05));
        assertThat(options.calibration()).isEqualTo(ScoreCalibration.PLATT);
        assertThat(options.encoderId()).isEqualTo("clip");
        assertThat(options.classes()).containsExactly("REAL", "FAKE");
    }

    @Test
    void theGridIsNoReductionThenPcaThenAnAutoencoderToEachSizeAndTheEpochsReachEveryAutoencoder() {
        HeadPlan plan = new HeadPlan(HeadAlgorithm.LINEAR_DISCRIMINANT, HeadReduction.autoencoder(16), Compared.BOTH, 5,
                ThresholdRule.FIXED_HALF, ScoreCalibration.NATIVE, List.of(64, 32), 7);

        assertThat(plan.grid()).extracting(HeadReduction::label).containsExactly("none", "pca-64", "pca-32",
                "autoencoder-64", "autoencoder-32");
        assertThat(plan.grid().get(3).epochs()).isEqualTo(7);
        assertThat(plan.apply(HeadTrainingOptions.detection("clip")).reduction())
                .isEqualTo(HeadReduction.autoencoder(16).withEpochs(7));
    }

    private static HeadPlan plan(Compared compare) {
        return new HeadPlan(HeadAlgorithm.LOGISTIC_REGRESSION, HeadReduction.none(), compare, 5,
                ThresholdRule.FIXED_HALF, ScoreCalibration.NATIVE, HeadPlan.SEEDS_DIMENSIONS, 30);
    }
}
