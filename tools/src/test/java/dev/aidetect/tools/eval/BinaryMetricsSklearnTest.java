package dev.aidetect.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.aidetect.heads.BinaryMetrics;
import dev.aidetect.testing.Prerequisites;

/**
 * The metrics {@code eval} reports are scikit-learn's: AP, ROC AUC, accuracy at a threshold and the best-threshold
 * accuracy of {@link BinaryMetrics} against Debian's {@code python3-sklearn} on the same labels and scores, random ones
 * and tie-heavy ones (scores rounded to one decimal, so most cut points hold both classes). Skipped where that
 * Python is missing (failing under {@code CI=true}).
 */
class BinaryMetricsSklearnTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("src/test/resources/sklearn_metrics.py");
    private static final double THRESHOLD = 0.5;

    @BeforeAll
    static void requireSklearn() throws Exception {
        Prerequisites.require(Files.isExecutable(PYTHON) && run(List.of(PYTHON.toString(), "-c",
                "import sklearn.metrics")).exit() == 0, "scikit-learn for /usr/bin/python3 (Debian's python3-sklearn)",
                "apt-get install python3-sklearn");
    }

    record Scores(String name, int[] positive, double[] scores) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Scores> scoreSets() {
        return List.of(random("random, 500 balanced", 500, 0.5, 1, 0), random("random, 300 with 10% fakes", 300, 0.1,
                2, 0), random("tie-heavy, 400 scores of one decimal", 400, 0.5, 3, 1),
                random("tie-heavy, 60 scores of 3 values", 60, 0.4, 4, -1), random("separable", 50, 0.5, 5, -2));
    }

    /**
     * @param decimals 0: full precision; 1: rounded to one decimal; -1: one of 0.2, 0.5, 0.8; -2: fakes above reals
     */
    private static Scores random(String name, int n, double fakeShare, long seed, int decimals) {
        Random random = new Random(seed);
        int[] positive = new int[n];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            positive[i] = random.nextDouble() < fakeShare ? 1 : 0;
            double score = Math.clamp(0.5 + (positive[i] == 1 ? 0.15 : -0.15) + random.nextGaussian() * 0.25, 0, 1);
            scores[i] = switch (decimals) {
                case 1 -> Math.round(score * 10) / 10.0;
                case -1 -> new double[]{0.2, 0.5, 0.8}[random.nextInt(3)];
                case -2 -> positive[i] == 1 ? 0.6 + 0.4 * random.nextDouble() : 0.4 * random.nextDouble();
                default -> score;
            };
        }
        return new Scores(name, positive, scores);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scoreSets")
    void averagePrecisionAucAccuracyAndBestThresholdAccuracyAreScikitLearns(Scores set, @TempDir Path dir)
            throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < set.scores().length; i++) {
            lines.append(set.positive()[i]).append(' ').append(String.format(Locale.ROOT, "%.17g", set.scores()[i]))
                    .append('\n');
        }
        Path file = dir.resolve("scores.txt");
        Files.writeString(file, lines);

        Run python = run(List.of(PYTHON.toString(), SCRIPT.toString(), file.toString(), String.valueOf(THRESHOLD)));

        assertThat(python.exit()).as("python: %s", python.output()).isZero();
        double[] expected = python.output().lines().mapToDouble(Double::parseDouble).toArray();
        assertThat(expected).hasSize(4);
        assertThat(BinaryMetrics.averagePrecision(set.positive(), set.scores())).as("AP")
                .isCloseTo(expected[0], within(1e-12));
        assertThat(BinaryMetrics.auc(set.positive(), set.scores())).as("AUC").isCloseTo(expected[1], within(1e-12));
        assertThat(BinaryMetrics.accuracyAt(set.positive(), set.scores(), THRESHOLD)).as("accuracy at %s", THRESHOLD)
                .isCloseTo(expected[2], within(1e-12));
        assertThat(BinaryMetrics.bestThreshold(set.positive(), set.scores()).accuracy()).as("best-threshold accuracy")
                .isCloseTo(expected[3], within(1e-12));
    }

    record Run(int exit, String output) {
    }

    private static Run run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Run(-1, "timed out: " + output);
        }
        return new Run(process.exitValue(), output);
    }
}
