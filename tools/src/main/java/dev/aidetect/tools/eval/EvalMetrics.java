package dev.aidetect.tools.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.aidetect.heads.BinaryMetrics;
import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.Stage;

/**
 * The numbers of an evaluation, pure functions of the scored images: per group (everything, each data set, each
 * family, each generator) the papers' metrics on the detection stage's score (the FAKE probability) and decision, the
 * hierarchy's confusion matrices, and where cases did not end decided. Metric definitions are {@link BinaryMetrics}'.
 * A group of a family or generator holds its fakes and the real images of the data sets those come from, so AP and
 * AUC compare them with reals as the papers do.
 */
final class EvalMetrics {
    /** Bins of the reliability table: 10 of equal width over [0, 1]. */
    static final int RELIABILITY_BINS = 10;

    private EvalMetrics() {
    }

    /**
     * The metrics of one group.
     *
     * @param level {@code all}, {@code dataset}, {@code family} or {@code generator}
     * @param name the data set, family or generator ({@code all} for everything)
     * @param family the family of a generator group, else {@code null}
     * @param images images in the group, with or without a final verdict
     * @param real real images among them
     * @param fake fake images among them
     * @param scored images with a detection score: the ones every metric below counts
     * @param threshold the detection threshold served (the most common among their verdicts); NaN when none
     * @param accuracy share of scored images whose detection decision is right
     * @param realAccuracy that share among the real ones; NaN when none
     * @param fakeAccuracy that share among the fake ones; NaN when none
     * @param averagePrecision AP of the score for FAKE; NaN without fakes
     * @param auc ROC AUC; NaN without both classes
     * @param best the oracle threshold over every cut point, and its accuracy
     * @param ece expected calibration error of the score as P(fake), over {@link #RELIABILITY_BINS} bins
     * @param uncertainRate share of the group's images whose final is UNCERTAIN
     * @param unknownRate share of those that attribution named a generator for where it named none known
     *        ({@code unknown}); NaN when attribution decided none
     * @param notDecided images whose case did not end decided, by why ({@link ScoredImage#notDecidedBecause()})
     * @param reliability the reliability table
     * @param roc the ROC curve through every distinct score
     * @param pr the precision-recall curve
     */
    record Group(String level, String name, String family, int images, int real, int fake, int scored,
            double threshold, double accuracy, double realAccuracy, double fakeAccuracy, double averagePrecision,
            double auc, BinaryMetrics.BestThreshold best, double ece, double uncertainRate, double unknownRate,
            Map<String, Integer> notDecided, List<BinaryMetrics.Bin> reliability, List<BinaryMetrics.RocPoint> roc,
            List<BinaryMetrics.PrPoint> pr) {
    }

    /**
     * A confusion matrix: how many images of each true class ({@code truth}, rows) ended as each predicted one
     * ({@code predicted}, columns).
     */
    record Confusion(List<String> truth, List<String> predicted, int[][] counts) {
        int count(String trueClass, String predictedClass) {
            int row = truth.indexOf(trueClass);
            int column = predicted.indexOf(predictedClass);
            return row < 0 || column < 0 ? 0 : counts[row][column];
        }
    }

    /** Everything, each data set, each family and each generator, in that order. */
    static List<Group> groups(List<ScoredImage> images) {
        List<Group> groups = new ArrayList<>();
        groups.add(group("all", "all", null, images));
        for (String dataset : distinct(images, ScoredImage::dataset, image -> true)) {
            groups.add(group("dataset", dataset, null, filter(images, image -> image.dataset().equals(dataset))));
        }
        for (String family : distinct(images, ScoredImage::family, ScoredImage::fake)) {
            groups.add(group("family", family, null, withReals(images, image -> image.family().equals(family))));
        }
        for (String generator : distinct(images, ScoredImage::generator, ScoredImage::fake)) {
            List<ScoredImage> members = withReals(images, image -> image.generator().equals(generator));
            String family = members.stream().filter(ScoredImage::fake).map(ScoredImage::family).findFirst()
                    .orElse(null);
            groups.add(group("generator", generator, family, members));
        }
        return groups;
    }

    /** The metrics of {@code images} as one group. */
    static Group group(String level, String name, String family, List<ScoredImage> images) {
        List<ScoredImage> scored = filter(images, image -> image.detection() != null);
        int[] positive = scored.stream().mapToInt(image -> image.fake() ? 1 : 0).toArray();
        double[] scores = scored.stream().mapToDouble(image -> image.detection().getScore()).toArray();
        int[] called = scored.stream().mapToInt(image -> image.calledFake() ? 1 : 0).toArray();
        long uncertain = images.stream().filter(image -> image.verdict() != null
                && image.verdict().getAuthenticity() == Authenticity.UNCERTAIN).count();
        List<ScoredImage> attributed = filter(images, image -> image.verdict() != null
                && image.verdict().getGenerator() != null);
        long unknown = attributed.stream()
                .filter(image -> ScoredImage.UNKNOWN_GENERATOR.equals(image.verdict().getGenerator())).count();
        Map<String, Integer> notDecided = new TreeMap<>();
        images.stream().map(ScoredImage::notDecidedBecause).filter(reason -> reason != null)
                .forEach(reason -> notDecided.merge(reason, 1, Integer::sum));
        BinaryMetrics.Calibration calibration = BinaryMetrics.calibration(positive, scores, RELIABILITY_BINS);
        return new Group(level, name, family, images.size(), (int) images.stream().filter(i -> !i.fake()).count(),
                (int) images.stream().filter(ScoredImage::fake).count(), scored.size(), servedThreshold(scored),
                BinaryMetrics.accuracy(positive, called), BinaryMetrics.classAccuracy(positive, called, 0),
                BinaryMetrics.classAccuracy(positive, called, 1), BinaryMetrics.averagePrecision(positive, scores),
                BinaryMetrics.auc(positive, scores), BinaryMetrics.bestThreshold(positive, scores),
                calibration.ece(), share(uncertain, images.size()), share(unknown, attributed.size()), notDecided,
                calibration.bins(), BinaryMetrics.rocCurve(positive, scores),
                BinaryMetrics.precisionRecallCurve(positive, scores));
    }

    /**
     * Where the hierarchy put each image at {@code stage} (FAMILY: the family it named; ATTRIBUTION: the generator),
     * by its true family or generator ({@code real} for real images).
     */
    static Confusion confusion(List<ScoredImage> images, Stage stage) {
        Function<ScoredImage, String> truth = stage == Stage.FAMILY ? ScoredImage::family : ScoredImage::generator;
        Set<String> rows = new LinkedHashSet<>();
        rows.add("real");
        images.stream().filter(ScoredImage::fake).map(truth).sorted().forEach(rows::add);
        Set<String> columns = new LinkedHashSet<>(rows);
        images.stream().map(image -> image.predicted(stage)).sorted(Comparator.comparing(EvalMetrics::outcomeOrder)
                .thenComparing(Comparator.naturalOrder())).forEach(columns::add);
        List<String> truthList = List.copyOf(rows);
        List<String> predictedList = List.copyOf(columns);
        int[][] counts = new int[truthList.size()][predictedList.size()];
        for (ScoredImage image : images) {
            counts[truthList.indexOf(truth.apply(image))][predictedList.indexOf(image.predicted(stage))]++;
        }
        return new Confusion(truthList, predictedList, counts);
    }

    /** Names first, then the ways a case ends short of one, in the order of the hierarchy. */
    private static int outcomeOrder(String predicted) {
        return switch (predicted) {
            case ScoredImage.UNKNOWN_GENERATOR -> 1;
            case "uncertain" -> 2;
            case "fake, no family", "fake, no attribution" -> 3;
            case "rejected" -> 4;
            case "timed out" -> 5;
            case "no final" -> 6;
            default -> 0;
        };
    }

    /**
     * Percentiles of a sample by the nearest-rank method (the smallest value with at least p percent of the sample at
     * or below it); NaN for an empty sample.
     */
    static double percentile(long[] values, double percent) {
        if (values.length == 0) {
            return Double.NaN;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100 * sorted.length);
        return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
    }

    /** The threshold most of the verdicts used (one head serves a run; a reload mid-run could make two). */
    private static double servedThreshold(List<ScoredImage> scored) {
        Map<Double, Integer> counts = new LinkedHashMap<>();
        scored.forEach(image -> counts.merge(image.detection().getThreshold(), 1, Integer::sum));
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElse(Double.NaN);
    }

    private static double share(long count, long of) {
        return of == 0 ? Double.NaN : (double) count / of;
    }

    /** The images {@code member} picks, and the real images of the data sets they come from. */
    private static List<ScoredImage> withReals(List<ScoredImage> images, Predicate<ScoredImage> member) {
        Set<String> datasets = new LinkedHashSet<>();
        images.stream().filter(ScoredImage::fake).filter(member).map(ScoredImage::dataset).forEach(datasets::add);
        return filter(images, image -> image.fake() ? member.test(image) : datasets.contains(image.dataset()));
    }

    private static List<String> distinct(List<ScoredImage> images, Function<ScoredImage, String> key,
            Predicate<ScoredImage> among) {
        return images.stream().filter(among).map(key).distinct().sorted().toList();
    }

    private static List<ScoredImage> filter(List<ScoredImage> images, Predicate<ScoredImage> keep) {
        return images.stream().filter(keep).toList();
    }
}
