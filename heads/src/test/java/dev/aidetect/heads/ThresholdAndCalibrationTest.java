package dev.aidetect.heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThresholdAndCalibrationTest {
    private static final List<String> CLASSES = List.of("REAL", "FAKE");
    private static final HeadTrainingOptions OPTIONS = HeadTrainingOptions.detection("tiny-clip");

    @TempDir
    Path dir;

    /** Many tight REAL vectors and fewer, widely spread FAKE ones: a linear head's 0.5 is not the best cut. */
    private record Clouds(List<float[]> vectors, List<String> labels) {
        static Clouds unequal(long seed) {
            Random random = new Random(seed);
            List<float[]> vectors = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (int n = 0; n < 400; n++) {
                boolean fake = n % 4 == 0;
                float[] v = new float[6];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (3 + (fake ? 1.2 + 3 * random.nextGaussian() : random.nextGaussian()));
                }
                vectors.add(v);
                labels.add(fake ? "FAKE" : "REAL");
            }
            return new Clouds(vectors, labels);
        }
    }

    private final Clouds clouds = Clouds.unequal(7);

    private VectorHead train(HeadTrainingOptions options, String file) throws IOException {
        return new HeadTrainer().train(clouds.vectors(), clouds.labels(), options, dir.resolve(file));
    }

    private List<float[]> validationVectors(String label) {
        int[] y = HeadTrainer.classIndices(clouds.vectors(), clouds.labels(), CLASSES);
        return StratifiedSplit.of(y, CLASSES, OPTIONS.validationFraction(), OPTIONS.seed()).validation().stream()
                .filter(i -> clouds.labels().get(i).equals(label)).map(clouds.vectors()::get).toList();
    }

    @Test
    void bestAccuracyThresholdIsAtLeastAsAccurateOnValidationAsFixedHalf() throws IOException {
        VectorHead fixed = train(OPTIONS, "fixed.head");
        VectorHead best = train(OPTIONS.withThreshold(ThresholdRule.BEST_ACCURACY), "best.head");

        assertThat(best.metadata().thresholdMethod()).isEqualTo("best-accuracy-on-validation");
        assertThat(best.metadata().validation().accuracy())
                .isGreaterThanOrEqualTo(fixed.metadata().validation().accuracy());
        assertThat(fixed.metadata().threshold()).isEqualTo(0.5);
    }

    @Test
    void targetFalsePositiveRateIsMetOnValidationRealVectors() throws IOException {
        VectorHead head = train(OPTIONS.withThreshold(ThresholdRule.targetFpr(0.05)), "fpr.head");

        List<float[]> real = validationVectors("REAL");
        long falsePositives = real.stream().filter(v -> head.classify(v).decision().equals("FAKE")).count();

        assertThat(head.metadata().thresholdMethod()).isEqualTo("fpr<=0.05-on-validation");
        assertThat((double) falsePositives / real.size()).isLessThanOrEqualTo(0.05);
        assertThat(falsePositives).isPositive();
    }

    @Test
    void bestAccuracyPicksTheCutThatSeparatesTheScores() {
        double threshold = ThresholdRule.BEST_ACCURACY.choose(new int[]{0, 0, 1, 1}, new double[]{0.1, 0.2, 0.3,
                0.4});

        assertThat(threshold).isEqualTo(0.3);
    }

    @Test
    void targetFprIsTheLowestThresholdAllowingThatManyNegatives() {
        int[] positive = new int[11];
        double[] scores = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 0.05};
        positive[10] = 1;

        double threshold = ThresholdRule.targetFpr(0.2).choose(positive, scores);

        // Two of ten negatives (0.9 and 1.0) may pass; 0.8 must not.
        assertThat(threshold).isGreaterThan(0.8).isLessThan(0.8 + 1e-12);
    }

    @Test
    void isotonicScoresAreMonotoneInTheRawScoreAndProbabilities() throws IOException {
        VectorHead head = train(OPTIONS.withCalibration(ScoreCalibration.ISOTONIC), "iso.head");
        IsotonicCalibrated model = (IsotonicCalibrated) head.model();

        List<double[]> rawAndScore = clouds.vectors().stream()
                .map(v -> new double[]{model.raw(head.metadata().preprocessing().apply(v)),
                        head.classify(v).score()})
                .sorted(Comparator.comparingDouble(p -> p[0])).toList();

        assertThat(head.metadata().calibration()).isEqualTo(ScoreCalibration.ISOTONIC_RECORD);
        for (int i = 1; i < rawAndScore.size(); i++) {
            assertThat(rawAndScore.get(i)[1]).isGreaterThanOrEqualTo(rawAndScore.get(i - 1)[1]);
        }
        assertThat(rawAndScore).allSatisfy(p -> assertThat(p[1]).isBetween(0.0, 1.0));
        assertThat(rawAndScore.getFirst()[1]).isLessThan(rawAndScore.getLast()[1]);
    }

    @Test
    void plattCalibrationWrapsANativeModelAndIsRecorded() throws IOException {
        VectorHead head = train(OPTIONS.withCalibration(ScoreCalibration.PLATT), "platt.head");

        assertThat(head.model()).isInstanceOf(PlattCalibrated.class);
        assertThat(head.metadata().calibration()).isEqualTo(HeadAlgorithm.PLATT);
    }

    @Test
    void artifactRoundTripKeepsTheChosenThresholdAndAppliesIt() throws IOException {
        VectorHead trained = train(OPTIONS.withThreshold(ThresholdRule.targetFpr(0.05))
                .withCalibration(ScoreCalibration.ISOTONIC), "trip.head");

        VectorHead loaded = VectorHead.load(dir.resolve("trip.head"));

        assertThat(loaded.metadata().threshold()).isEqualTo(trained.metadata().threshold()).isNotEqualTo(0.5);
        assertThat(loaded.metadata().thresholdMethod()).isEqualTo("fpr<=0.05-on-validation");
        assertThat(loaded.metadata().calibration()).isEqualTo(ScoreCalibration.ISOTONIC_RECORD);
        assertThat(clouds.vectors()).allSatisfy(v -> {
            HeadDecision decision = loaded.classify(v);
            assertThat(decision.decision()).isEqualTo(decision.score() >= loaded.metadata().threshold()
                    ? "FAKE"
                    : "REAL");
            assertThat(decision).isEqualTo(trained.classify(v));
        });
    }

    @Test
    void parsesThresholdRulesAsTheCommandLineWritesThem() {
        assertThat(ThresholdRule.of("fixed-0.5")).isEqualTo(ThresholdRule.FIXED_HALF);
        assertThat(ThresholdRule.of("best-accuracy")).isEqualTo(ThresholdRule.BEST_ACCURACY);
        assertThat(ThresholdRule.of("fpr=0.01").method()).isEqualTo("fpr<=0.01-on-validation");
        assertThatThrownBy(() -> ThresholdRule.of("fpr=2")).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> ThresholdRule.of("median"))
                .hasMessageContaining("use fixed-0.5, best-accuracy or fpr=<rate>");
    }

    @Test
    void refusesAChosenThresholdForAHeadWithMoreThanTwoClasses() {
        assertThatThrownBy(() -> new HeadTrainingOptions("x", HeadStage.FAMILY, List.of("a", "b", "c"), "c",
                "tiny-clip", HeadAlgorithm.LOGISTIC_REGRESSION, true, true, HeadReduction.none(), 0.2, 1,
                ThresholdRule.BEST_ACCURACY, ScoreCalibration.NATIVE)).hasMessageContaining("need a two-class head");
    }
}
