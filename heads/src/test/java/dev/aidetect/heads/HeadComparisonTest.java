package dev.aidetect.heads;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.heads.fixtures.GaussianClouds;

class HeadComparisonTest {
    @TempDir
    Path dir;

    @Test
    void crossValidatesEachAlgorithmAndPicksTheBestByAveragePrecision() throws IOException {
        GaussianClouds clouds = GaussianClouds.of(List.of("REAL", "FAKE"), 60, 8, 4, 21);
        List<String> progress = new ArrayList<>();

        HeadComparison.Result result = new HeadComparison().compare(clouds.vectors(), clouds.labels(),
                HeadTrainingOptions.detection("tiny-clip"),
                List.of(HeadAlgorithm.DECISION_TREE, HeadAlgorithm.LOGISTIC_REGRESSION, HeadAlgorithm.KNN_3), 4,
                dir, progress::add);

        assertThat(result.rows()).extracting(HeadComparison.Row::algorithm).containsExactly(
                HeadAlgorithm.DECISION_TREE, HeadAlgorithm.LOGISTIC_REGRESSION, HeadAlgorithm.KNN_3);
        assertThat(result.rows()).allSatisfy(row -> {
            assertThat(row.failure()).isNull();
            assertThat(row.accuracy()).isGreaterThan(0.7);
            assertThat(row.artifactBytes()).isPositive();
            assertThat(VectorHead.load(row.artifact()).metadata().algorithm()).isEqualTo(row.algorithm().id());
        });
        assertThat(result.best().averagePrecision()).isEqualTo(
                result.rows().stream().mapToDouble(HeadComparison.Row::averagePrecision).max().orElseThrow());
        assertThat(progress).contains("logistic-regression none fold 4/4", "done 3/3 knn-3 none");
    }

    @Test
    void measuresEachFoldAtTheThresholdTheRuleChoosesAsTheShippedHeadWould() throws IOException {
        GaussianClouds overlapping = GaussianClouds.of(List.of("REAL", "FAKE"), 100, 8, 1.5, 22);
        HeadTrainingOptions options = HeadTrainingOptions.detection("tiny-clip");
        List<HeadAlgorithm> lr = List.of(HeadAlgorithm.LOGISTIC_REGRESSION);

        HeadComparison.Row half = new HeadComparison().compare(overlapping.vectors(), overlapping.labels(), options,
                lr, 4, dir.resolve("half"), line -> {
                }).best();
        HeadComparison.Row noFalsePositives = new HeadComparison().compare(overlapping.vectors(),
                overlapping.labels(), options.withThreshold(ThresholdRule.targetFpr(0)), lr, 4, dir.resolve("fpr"),
                line -> {
                }).best();

        assertThat(noFalsePositives.negativeAccuracy()).isGreaterThan(half.negativeAccuracy()).isGreaterThan(0.9);
        assertThat(noFalsePositives.positiveAccuracy()).isLessThan(half.positiveAccuracy());
        assertThat(noFalsePositives.averagePrecision()).isEqualTo(half.averagePrecision());
    }

    @Test
    void foldsHoldOutEveryVectorExactlyOnceAndKeepClassShares() {
        int[] y = new int[50];
        for (int i = 0; i < 20; i++) {
            y[i] = 1;
        }

        List<List<Integer>> folds = HeadComparison.folds(y, 5, 1);

        assertThat(folds.stream().flatMap(List::stream).sorted().toList()).hasSize(50).doesNotHaveDuplicates();
        assertThat(folds).allSatisfy(fold -> assertThat(fold.stream().filter(i -> y[i] == 1)).hasSize(4));
    }
}
