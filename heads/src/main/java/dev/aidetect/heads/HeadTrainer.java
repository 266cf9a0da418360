package dev.aidetect.heads;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import smile.classification.Classifier;

import dev.aidetect.heads.natives.OpenBlas;

/**
 * Trains a {@link VectorHead} from labelled encoder vectors: holds out a stratified validation split, fits the
 * preprocessing and the model on the rest, measures accuracy, AP and AUC on the held-out vectors, and writes the
 * artifact. Plain Java, so command-line tools and tests call it directly.
 */
public final class HeadTrainer {
    static {
        // Smile binds BLAS/LAPACK on first use; make sure it finds an OpenBLAS.
        OpenBlas.ensureLoaded();
    }

    private static final Logger LOG = LoggerFactory.getLogger(HeadTrainer.class);
    private static final double FIXED_THRESHOLD = 0.5;

    private final Consumer<String> progress;

    /** A trainer that logs the autoencoder's epochs. */
    public HeadTrainer() {
        this(line -> LOG.info("{}", line));
    }

    /** A trainer that hands each line of progress (the autoencoder's epochs) to {@code progress}. */
    public HeadTrainer(Consumer<String> progress) {
        this.progress = progress;
    }

    /**
     * @param vectors raw encoder vectors, all of one size, all finite
     * @param labels the class of each vector, one of {@code options.classes()}
     * @param out the artifact file to write (replaced when it exists)
     * @return the trained head, as {@link VectorHead#load(Path)} would return it
     * @throws IllegalArgumentException when the data cannot train a head (sizes, labels, too few per class)
     */
    public VectorHead train(List<float[]> vectors, List<String> labels, HeadTrainingOptions options, Path out)
            throws IOException {
        return train(vectors, labels, List.of(), options, out);
    }

    /**
     * As {@link #train(List, List, HeadTrainingOptions, Path)}, also fitting on augmented copies: {@code copies.get(i)}
     * are vectors of augmented copies of the image of vector {@code i} (empty list: none). A vector's copies join the
     * training vectors only when the vector itself does, so no validation vector has a near twin in training.
     */
    public VectorHead train(List<float[]> vectors, List<String> labels, List<List<float[]>> copies,
            HeadTrainingOptions options, Path out) throws IOException {
        return train(vectors, labels, copies, options, out, Reductions.each(progress));
    }

    VectorHead train(List<float[]> vectors, List<String> labels, List<List<float[]>> copies,
            HeadTrainingOptions options, Path out, Reductions reductions) throws IOException {
        int[] y = classIndices(vectors, labels, options.classes());
        checkCopies(vectors, copies);
        StratifiedSplit split = StratifiedSplit.of(y, options.classes(), options.validationFraction(),
                options.seed());
        Draft draft = fit(vectors, y, copies, split.train(), options, reductions);
        VectorHead head = withThreshold(draft, vectors, y, split.validation(), options.threshold());
        HeadMetadata.Validation validation = validate(head, vectors, y, split.validation());
        HeadMetadata written = HeadArtifact.write(out, head.metadata().withValidation(validation, Instant.now()),
                draft.model());
        LOG.info("wrote head {} version {} to {}: threshold {} ({}), validation accuracy {}, AP {}, AUC {} on {} "
                + "vectors", written.id(), written.version(), out, written.threshold(), written.thresholdMethod(),
                validation.accuracy(), validation.averagePrecision(), validation.auc(), validation.count());
        return new VectorHead(written, draft.model());
    }

    /**
     * A head made from the vectors at {@code indices} the way {@link #train} makes the shipped one: fitted on a
     * stratified part of them, its threshold chosen by the options' rule on the rest. Cross-validation folds use it,
     * so their figures are those of the head that would ship.
     */
    static VectorHead fitAsShipped(List<float[]> vectors, int[] y, List<List<float[]>> copies, List<Integer> indices,
            HeadTrainingOptions options, Reductions reductions) {
        int[] labels = indices.stream().mapToInt(i -> y[i]).toArray();
        StratifiedSplit split = StratifiedSplit.of(labels, options.classes(), options.validationFraction(),
                options.seed());
        List<Integer> train = split.train().stream().map(indices::get).toList();
        List<Integer> held = split.validation().stream().map(indices::get).toList();
        return withThreshold(fit(vectors, y, copies, train, options, reductions), vectors, y, held,
                options.threshold());
    }

    /** A head fitted on some vectors, not yet validated or written. */
    record Draft(VectorHead head, Classifier<double[]> model) {
    }

    /** Fits preprocessing, the reduction and the model on the vectors at {@code trainIndices} and their copies. */
    static Draft fit(List<float[]> vectors, int[] y, List<List<float[]>> copies, List<Integer> trainIndices,
            HeadTrainingOptions options, Reductions reductions) {
        List<float[]> train = new ArrayList<>();
        List<Integer> trainLabelList = new ArrayList<>();
        for (int i : trainIndices) {
            train.add(vectors.get(i));
            trainLabelList.add(y[i]);
        }
        int augmented = 0;
        for (int i : trainIndices) {
            for (float[] copy : copies.isEmpty() ? List.<float[]>of() : copies.get(i)) {
                train.add(copy);
                trainLabelList.add(y[i]);
                augmented++;
            }
        }
        int size = vectors.getFirst().length;
        Preprocessing preprocessing = Preprocessing.fit(train, options.l2Normalize(), options.standardize());
        double[][] x = train.stream().map(preprocessing::apply).toArray(double[][]::new);
        int[] trainLabels = trainLabelList.stream().mapToInt(Integer::intValue).toArray();
        long started = System.nanoTime();
        Reductions.Fitted reduction = reductions.fit(x, trainIndices, options);
        HeadAlgorithm.Fitted fitted = options.calibration().fit(options.algorithm(), reduction.apply(x), trainLabels,
                options.seed());
        Classifier<double[]> model = reduction.wrap(fitted.classifier());
        Map<String, String> settings = new TreeMap<>(fitted.hyperparameters());
        if (options.reduction().method() == HeadReduction.Method.PCA) {
            settings.put("pca.dimensions", String.valueOf(options.reduction().dimensions()));
        }
        LOG.debug("fitted {} head {} on {} vectors of size {} in {} ms", options.algorithm().id(), options.id(),
                train.size(), size, (System.nanoTime() - started) / 1_000_000);
        HeadMetadata metadata = new HeadMetadata(HeadMetadata.FORMAT_VERSION, options.id(), "", options.stage(),
                options.classes(), options.positiveClass(), new HeadMetadata.Encoder(options.encoderId(), size),
                preprocessing, FIXED_THRESHOLD, ThresholdRule.FIXED_HALF.method(), options.algorithm().id(), settings,
                new HeadMetadata.Training(countPerClass(y, options.classes()), trainIndices.size(),
                        y.length - trainIndices.size(), options.validationFraction(), options.seed(), augmented),
                null, null, fitted.calibration(), reduction.recorded());
        return new Draft(new VectorHead(metadata, model), model);
    }

    /** The drafted head with the threshold {@code rule} chooses from its scores of the held-out vectors. */
    static VectorHead withThreshold(Draft draft, List<float[]> vectors, int[] y, List<Integer> held,
            ThresholdRule rule) {
        int positive = draft.head().metadata().positiveIndex();
        int[] isPositive = held.stream().mapToInt(i -> y[i] == positive ? 1 : 0).toArray();
        double[] scores = held.stream().mapToDouble(i -> draft.head().classify(vectors.get(i)).score()).toArray();
        double threshold = rule.choose(isPositive, scores);
        return new VectorHead(draft.head().metadata().withThreshold(threshold, rule.method()), draft.model());
    }

    static HeadMetadata.Validation validate(VectorHead head, List<float[]> vectors, int[] y,
            List<Integer> held) {
        int positive = head.metadata().positiveIndex();
        List<String> classes = head.metadata().classes();
        int[] truth = new int[held.size()];
        int[] decided = new int[held.size()];
        int[] isPositive = new int[held.size()];
        double[] scores = new double[held.size()];
        for (int k = 0; k < held.size(); k++) {
            HeadDecision decision = head.classify(vectors.get(held.get(k)));
            truth[k] = y[held.get(k)];
            decided[k] = classes.indexOf(decision.decision());
            isPositive[k] = truth[k] == positive ? 1 : 0;
            scores[k] = decision.score();
        }
        return new HeadMetadata.Validation(held.size(), BinaryMetrics.accuracy(truth, decided),
                BinaryMetrics.averagePrecision(isPositive, scores), BinaryMetrics.auc(isPositive, scores));
    }

    static int[] classIndices(List<float[]> vectors, List<String> labels, List<String> classes) {
        if (vectors.isEmpty() || vectors.size() != labels.size()) {
            throw new IllegalArgumentException("need one label per vector and at least one vector, got "
                    + vectors.size() + " vectors and " + labels.size() + " labels");
        }
        int size = vectors.getFirst().length;
        int[] y = new int[labels.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = classes.indexOf(labels.get(i));
            if (y[i] < 0) {
                throw new IllegalArgumentException(
                        "label '" + labels.get(i) + "' of vector " + i + " is not one of the head's classes "
                                + classes);
            }
            float[] vector = vectors.get(i);
            if (vector.length != size) {
                throw new IllegalArgumentException("vector " + i + " has size " + vector.length
                        + " but the first has size " + size + "; all vectors must come from one encoder");
            }
            for (float v : vector) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("vector " + i + " has a NaN or infinite component");
                }
            }
        }
        return y;
    }

    private static void checkCopies(List<float[]> vectors, List<List<float[]>> copies) {
        if (copies.isEmpty()) {
            return;
        }
        if (copies.size() != vectors.size()) {
            throw new IllegalArgumentException("need one list of augmented copies per vector (empty for none), got "
                    + copies.size() + " lists for " + vectors.size() + " vectors");
        }
        int size = vectors.getFirst().length;
        for (int i = 0; i < copies.size(); i++) {
            for (float[] copy : copies.get(i)) {
                if (copy.length != size) {
                    throw new IllegalArgumentException("an augmented copy of vector " + i + " has size " + copy.length
                            + " but the vectors have size " + size + "; embed copies with the same encoder");
                }
            }
        }
    }

    private static Map<String, Integer> countPerClass(int[] y, List<String> classes) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        classes.forEach(c -> counts.put(c, 0));
        for (int label : y) {
            counts.merge(classes.get(label), 1, Integer::sum);
        }
        return counts;
    }
}
