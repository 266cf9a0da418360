package dev.aidetect.heads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares head algorithms on one labelled vector set by stratified k-fold cross-validation: every vector is scored
 * once by a head that did not train on it, and accuracy, per-class accuracy, AP and AUC are computed on those
 * out-of-fold scores. Each fold's head is made as the shipped head is: fitted on part of the fold's training vectors,
 * with its threshold chosen by the options' rule on the rest, so accuracy is measured at the threshold that would
 * ship. Each algorithm is then trained on all vectors ({@link HeadTrainer}) to measure its artifact, and the best by
 * AP (then accuracy) is the comparison's pick.
 */
public final class HeadComparison {
    private static final Logger LOG = LoggerFactory.getLogger(HeadComparison.class);

    /**
     * One algorithm's cross-validated result.
     *
     * @param accuracy share decided correctly at each fold head's threshold (chosen by the options' rule), all
     *        folds pooled
     * @param negativeAccuracy accuracy on the non-positive class (REAL for detection)
     * @param positiveAccuracy accuracy on the positive class (FAKE for detection)
     * @param trainMillis mean fit time per fold
     * @param artifact the head trained on all vectors, or {@code null} when the algorithm failed
     * @param artifactBytes size of that artifact file
     * @param failure why the algorithm could not be trained, or {@code null}
     */
    public record Row(HeadAlgorithm algorithm, double accuracy, double negativeAccuracy, double positiveAccuracy,
            double averagePrecision, double auc, long trainMillis, Path artifact, long artifactBytes,
            String failure) {
    }

    /** All rows in the order run, and the best one. */
    public record Result(List<Row> rows, Row best) {
    }

    /**
     * @param options binary head options (threshold rule and calibration included); the algorithm and id are
     *        replaced per candidate
     * @param outDir where each candidate's artifact ({@code <algorithm>.head}) is written
     * @param progress one line per finished fold and head, for long runs
     */
    public Result compare(List<float[]> vectors, List<String> labels, HeadTrainingOptions options,
            List<HeadAlgorithm> algorithms, int folds, Path outDir, Consumer<String> progress) throws IOException {
        if (options.classes().size() != 2 || folds < 2) {
            throw new IllegalArgumentException("comparison needs a two-class head and at least 2 folds, got "
                    + options.classes() + " and " + folds + " folds");
        }
        int[] y = HeadTrainer.classIndices(vectors, labels, options.classes());
        List<List<Integer>> held = folds(y, folds, options.seed());
        List<Row> rows = new ArrayList<>();
        for (HeadAlgorithm algorithm : algorithms) {
            HeadTrainingOptions candidate = options.withAlgorithm(algorithm).withId(
                    options.stage().name().toLowerCase(Locale.ROOT) + "-" + algorithm.id());
            try {
                rows.add(evaluate(vectors, y, candidate, held, outDir, progress));
            } catch (RuntimeException e) {
                LOG.warn("head {} failed: {}", algorithm.id(), e.toString());
                rows.add(new Row(algorithm, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, null, 0,
                        e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
            progress.accept("done " + rows.size() + "/" + algorithms.size() + " " + algorithm.id());
        }
        Row best = rows.stream().filter(r -> r.failure() == null)
                .max(Comparator.comparingDouble(Row::averagePrecision).thenComparingDouble(Row::accuracy))
                .orElseThrow(() -> new IllegalStateException("every head algorithm failed: " + rows));
        return new Result(List.copyOf(rows), best);
    }

    private Row evaluate(List<float[]> vectors, int[] y, HeadTrainingOptions options, List<List<Integer>> held,
            Path outDir, Consumer<String> progress) throws IOException {
        int positive = options.classes().indexOf(options.positiveClass());
        double[] scores = new double[y.length];
        int[] decided = new int[y.length];
        long nanos = 0;
        for (int f = 0; f < held.size(); f++) {
            List<Integer> test = held.get(f);
            List<Integer> train = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                train.add(i);
            }
            train.removeAll(new HashSet<>(test));
            long started = System.nanoTime();
            VectorHead head = HeadTrainer.fitAsShipped(vectors, y, train, options);
            nanos += System.nanoTime() - started;
            for (int i : test) {
                HeadDecision decision = head.classify(vectors.get(i));
                scores[i] = decision.score();
                decided[i] = options.classes().indexOf(decision.decision());
            }
            progress.accept(options.algorithm().id() + " fold " + (f + 1) + "/" + held.size());
        }
        int[] isPositive = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            isPositive[i] = y[i] == positive ? 1 : 0;
        }
        Path artifact = outDir.resolve(options.algorithm().id() + ".head");
        new HeadTrainer().train(vectors, labelsOf(y, options.classes()), options, artifact);
        return new Row(options.algorithm(), BinaryMetrics.accuracy(y, decided),
                BinaryMetrics.classAccuracy(y, decided, 1 - positive),
                BinaryMetrics.classAccuracy(y, decided, positive),
                BinaryMetrics.averagePrecision(isPositive,
                        scores),
                BinaryMetrics.auc(isPositive, scores), nanos / held.size() / 1_000_000, artifact,
                Files.size(artifact), null);
    }

    private static List<String> labelsOf(int[] y, List<String> classes) {
        return Arrays.stream(y).mapToObj(classes::get).toList();
    }

    /** Held-out indices of each fold; every class is dealt round-robin after a seeded shuffle. */
    static List<List<Integer>> folds(int[] y, int k, long seed) {
        Random random = new Random(seed);
        List<List<Integer>> folds = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            folds.add(new ArrayList<>());
        }
        int classes = Arrays.stream(y).max().orElse(0) + 1;
        int next = 0;
        for (int c = 0; c < classes; c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                if (y[i] == c) {
                    members.add(i);
                }
            }
            if (members.size() < k) {
                throw new IllegalArgumentException("class " + c + " has " + members.size() + " examples, fewer than "
                        + k + " folds; use fewer folds or more data");
            }
            Collections.shuffle(members, random);
            for (int i : members) {
                folds.get(next++ % k).add(i);
            }
        }
        return folds;
    }
}
