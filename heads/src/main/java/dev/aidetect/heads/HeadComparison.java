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
 * Compares head algorithms, each with each reduction (none, PCA, autoencoder: the seeds' grid), on one labelled
 * vector set by stratified k-fold cross-validation: every vector is scored
 * once by a head that did not train on it, and accuracy, per-class accuracy, AP and AUC are computed on those
 * out-of-fold scores. Each fold's head is made as the shipped head is: fitted on part of the fold's training vectors,
 * with its threshold chosen by the options' rule on the rest, so accuracy is measured at the threshold that would
 * ship. Each candidate is then trained on all vectors ({@link HeadTrainer}) to measure its artifact, and the best by
 * AP (then accuracy) is the comparison's pick. A reduction is fitted once per set of training vectors and shared by
 * every algorithm (it does not see the labels), so a grid trains one autoencoder per fold, not one per cell.
 */
public final class HeadComparison {
    private static final Logger LOG = LoggerFactory.getLogger(HeadComparison.class);

    /**
     * One candidate's cross-validated result.
     *
     * @param reduction what reduced the vectors before the algorithm
     * @param accuracy share decided correctly at each fold head's threshold (chosen by the options' rule), all
     *        folds pooled
     * @param negativeAccuracy accuracy on the non-positive class (REAL for detection)
     * @param positiveAccuracy accuracy on the positive class (FAKE for detection)
     * @param trainMillis mean fit time per fold
     * @param artifact the head trained on all vectors, or {@code null} when the algorithm failed
     * @param artifactBytes size of that artifact file
     * @param failure why the candidate could not be trained (or does not apply to these vectors), or {@code null}
     */
    public record Row(HeadAlgorithm algorithm, HeadReduction reduction, double accuracy, double negativeAccuracy,
            double positiveAccuracy,
            double averagePrecision, double auc, long trainMillis, Path artifact, long artifactBytes,
            String failure) {
    }

    /** All rows in the order run, and the best one. */
    public record Result(List<Row> rows, Row best) {
    }

    /**
     * @param options binary head options (threshold rule and calibration included); the algorithm and id are
     *        replaced per candidate, the reduction is kept
     * @param outDir where each candidate's artifact ({@code <algorithm>.head}) is written
     * @param progress one line per finished fold and head, for long runs
     */
    public Result compare(List<float[]> vectors, List<String> labels, HeadTrainingOptions options,
            List<HeadAlgorithm> algorithms, int folds, Path outDir, Consumer<String> progress) throws IOException {
        return compare(vectors, labels, List.of(), options, algorithms, List.of(options.reduction()), folds, outDir,
                progress);
    }

    /**
     * The grid: every algorithm with every reduction.
     *
     * @param copies augmented copies of each vector, as {@link HeadTrainer#train(List, List, List, HeadTrainingOptions,
     *        Path)} takes them (fitted on only with their vector, so never scored), or empty
     * @param outDir where each candidate's artifact ({@code <algorithm>.head}, {@code <algorithm>-<reduction>.head})
     *        is written
     */
    public Result compare(List<float[]> vectors, List<String> labels, List<List<float[]>> copies,
            HeadTrainingOptions options, List<HeadAlgorithm> algorithms, List<HeadReduction> reductions, int folds,
            Path outDir, Consumer<String> progress) throws IOException {
        if (options.classes().size() != 2 || folds < 2) {
            throw new IllegalArgumentException("comparison needs a two-class head and at least 2 folds, got "
                    + options.classes() + " and " + folds + " folds");
        }
        int[] y = HeadTrainer.classIndices(vectors, labels, options.classes());
        List<List<Integer>> held = folds(y, folds, options.seed());
        Reductions shared = Reductions.reused(line -> progress.accept(line));
        List<Row> rows = new ArrayList<>();
        int candidates = algorithms.size() * reductions.size();
        for (HeadReduction reduction : reductions) {
            for (HeadAlgorithm algorithm : algorithms) {
                HeadTrainingOptions candidate = options.withAlgorithm(algorithm).withReduction(reduction).withId(
                        options.stage().name().toLowerCase(Locale.ROOT) + "-" + algorithm.id());
                try {
                    reduction.checkInput(vectors.getFirst().length);
                    rows.add(evaluate(vectors, y, copies, candidate, held, outDir, shared, progress));
                } catch (RuntimeException e) {
                    LOG.warn("head {} with reduction {} failed: {}", algorithm.id(), reduction.label(), e.toString());
                    rows.add(new Row(algorithm, reduction, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                            0, null, 0, e instanceof IllegalArgumentException
                                    ? e.getMessage()
                                    : e.getClass().getSimpleName() + ": " + e.getMessage()));
                }
                progress.accept("done " + rows.size() + "/" + candidates + " " + algorithm.id() + " "
                        + reduction.label());
            }
        }
        Row best = rows.stream().filter(r -> r.failure() == null)
                .max(Comparator.comparingDouble(Row::averagePrecision).thenComparingDouble(Row::accuracy))
                .orElseThrow(() -> new IllegalStateException("every head algorithm failed: " + rows));
        return new Result(List.copyOf(rows), best);
    }

    private Row evaluate(List<float[]> vectors, int[] y, List<List<float[]>> copies, HeadTrainingOptions options,
            List<List<Integer>> held, Path outDir, Reductions reductions, Consumer<String> progress)
            throws IOException {
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
            VectorHead head = HeadTrainer.fitAsShipped(vectors, y, copies, train, options, reductions);
            nanos += System.nanoTime() - started;
            for (int i : test) {
                HeadDecision decision = head.classify(vectors.get(i));
                scores[i] = decision.score();
                decided[i] = options.classes().indexOf(decision.decision());
            }
            progress.accept(options.algorithm().id() + " " + options.reduction().label() + " fold " + (f + 1) + "/"
                    + held.size());
        }
        int[] isPositive = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            isPositive[i] = y[i] == positive ? 1 : 0;
        }
        HeadReduction reduction = options.reduction();
        Path artifact = outDir.resolve(options.algorithm().id()
                + (reduction.method() == HeadReduction.Method.NONE ? "" : "-" + reduction.label()) + ".head");
        new HeadTrainer().train(vectors, labelsOf(y, options.classes()), copies, options, artifact, reductions);
        return new Row(options.algorithm(), reduction, BinaryMetrics.accuracy(y, decided),
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
