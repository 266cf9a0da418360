package dev.aidetect.heads.attribution;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.listener.DivergenceCheckTrainingListener;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;

import dev.aidetect.heads.StratifiedSplit;
import dev.aidetect.heads.ThresholdRule;

/**
 * Trains the networks on pixels from labelled images: a per-family {@link AttributionNetwork} (or the family network),
 * or the real/fake {@link DetectionNetwork}. One way for all: a DJL ResNet on random pixel crops and flips (Adam,
 * softmax cross-entropy, a fixed or cosine learning rate), optional JPEG/blur augmentation, a stratified held-out split
 * for validation and early stopping (the best epoch's weights are kept), optional per-epoch checkpoints to resume
 * from; then, on the held-out images, an unknown threshold (attribution) or the serving threshold on P(FAKE)
 * (detection). Writes the network directory and reports progress after every step and every epoch. Plain Java, so
 * command-line tools and tests call it directly.
 */
public final class AttributionTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(AttributionTrainer.class);

    private final Consumer<EpochReport> progress;
    private final Consumer<BatchProgress> steps;

    /** A trainer that logs each epoch. */
    public AttributionTrainer() {
        this(report -> LOG.info("{}", report));
    }

    /** A trainer that hands each epoch's report to {@code progress} (e.g. a command line's progress display). */
    public AttributionTrainer(Consumer<EpochReport> progress) {
        this(progress, step -> {
        });
    }

    /** As {@link #AttributionTrainer(Consumer)}, also handing {@code steps} the progress after every training step. */
    public AttributionTrainer(Consumer<EpochReport> progress, Consumer<BatchProgress> steps) {
        this.progress = progress;
        this.steps = steps;
    }

    /** What training left for the finishing step: the draft metadata and the held-out images. */
    private record Fitted(AttributionMetadata draft, List<BufferedImage> validationImages, int[] validationLabels) {
    }

    /**
     * @param family the generator family, e.g. {@code gan}
     * @param images RGB images per generator name; at least two generators with at least two images each
     * @param out the network directory to write (created; its artifact files are replaced)
     * @return the trained network, as {@link AttributionNetwork#load(Path)} returns it
     */
    public AttributionNetwork train(String family, Map<String, List<BufferedImage>> images, AttributionOptions options,
            Path out) throws IOException {
        return train(family, images, options, out, Checkpoints.none());
    }

    /**
     * As {@link #train(String, Map, AttributionOptions, Path)}, saving every epoch to {@code checkpoints} and, when
     * it says so, resuming after its last saved epoch.
     */
    public AttributionNetwork train(String family, Map<String, List<BufferedImage>> images, AttributionOptions options,
            Path out, Checkpoints checkpoints) throws IOException {
        if (images.size() < 2) {
            throw new IllegalArgumentException("attribution needs at least two generators to tell apart, got "
                    + images.keySet() + " for family " + family);
        }
        Fitted fitted = fit("attribution-" + family + "-resnet" + options.depth(), family, images, options, out,
                checkpoints);
        return AttributionCalibration.calibrate(out, fitted.draft(), fitted.validationImages(),
                fitted.validationLabels(), options.unknownPercentile());
    }

    /**
     * Trains the real/fake network: two classes, {@value DetectionNetwork#FAKE} and {@value DetectionNetwork#REAL},
     * its serving threshold on P(FAKE) chosen by {@code rule} on the held-out images.
     *
     * @param images the RGB images of each class; both classes with at least two images
     * @param out the network directory to write (created; its artifact files are replaced)
     */
    public DetectionNetwork trainDetector(Map<String, List<BufferedImage>> images, AttributionOptions options,
            ThresholdRule rule, Path out, Checkpoints checkpoints) throws IOException {
        if (!images.keySet().equals(Set.of(DetectionNetwork.FAKE, DetectionNetwork.REAL))) {
            throw new IllegalArgumentException("the real/fake network learns the classes " + DetectionNetwork.FAKE
                    + " and " + DetectionNetwork.REAL + ", got " + images.keySet()
                    + "; give images of both (folders real/ and fake/)");
        }
        Fitted fitted = fit(DetectionNetwork.STAGE + "-resnet" + options.depth() + "-" + options.input().label(),
                DetectionNetwork.STAGE, images, options, out, checkpoints);
        return DetectionCalibration.calibrate(out, fitted.draft(), fitted.validationImages(),
                fitted.validationLabels(), rule);
    }

    /**
     * The images a run with this validation fraction and seed held out of {@code images}, with their labels: what an
     * ensemble of networks trained on the same images with the same split is calibrated on
     * ({@link DetectionEnsemble#write}).
     */
    public static HeldOut heldOut(Map<String, List<BufferedImage>> images, double validationFraction, long seed) {
        Pooled pooled = Pooled.of(images);
        StratifiedSplit split = StratifiedSplit.of(pooled.labels(), pooled.classes(), validationFraction, seed);
        return new HeldOut(pooled.classes(), pick(pooled.all(), split.validation()),
                pick(pooled.labels(), split.validation()), pooled.counts());
    }

    /**
     * Held-out images chosen elsewhere (by a network trained outside this project), by class, with every class's count
     * before the split: what {@link DetectionEnsemble#write} and an import calibrate on. The classes are those counted,
     * in name order, also where none of a class was held out.
     */
    public static HeldOut heldOut(Map<String, List<BufferedImage>> heldOut, Map<String, Integer> counts) {
        Map<String, List<BufferedImage>> everyClass = new TreeMap<>();
        counts.keySet().forEach(name -> everyClass.put(name, heldOut.getOrDefault(name, List.of())));
        Pooled pooled = Pooled.of(everyClass);
        return new HeldOut(pooled.classes(), pooled.all(), pooled.labels(), counts);
    }

    /**
     * Held-out images and their class indices.
     *
     * @param classes the class names in index order
     * @param counts every class's images before the split, as a network's {@code examplesPerClass} records them
     */
    public record HeldOut(List<String> classes, List<BufferedImage> images, int[] labels, Map<String, Integer> counts) {
    }

    /** Every class's images in one list, in class-name order, with their class indices: what a run splits. */
    private record Pooled(List<String> classes, List<BufferedImage> all, int[] labels, Map<String, Integer> counts) {
        static Pooled of(Map<String, List<BufferedImage>> images) {
            Map<String, List<BufferedImage>> byClass = new TreeMap<>(images);
            List<String> classes = List.copyOf(byClass.keySet());
            List<BufferedImage> all = new ArrayList<>();
            List<Integer> labelList = new ArrayList<>();
            Map<String, Integer> counts = new LinkedHashMap<>();
            byClass.forEach((name, list) -> {
                all.addAll(list);
                list.forEach(image -> labelList.add(classes.indexOf(name)));
                counts.put(name, list.size());
            });
            return new Pooled(classes, all, labelList.stream().mapToInt(Integer::intValue).toArray(), counts);
        }
    }

    /** Splits the images, trains the network into {@code out} and hands back what calibration needs. */
    private Fitted fit(String id, String family, Map<String, List<BufferedImage>> images, AttributionOptions options,
            Path out, Checkpoints checkpoints) throws IOException {
        Pooled pooled = Pooled.of(images);
        List<String> classes = pooled.classes();
        List<BufferedImage> all = pooled.all();
        int[] labels = pooled.labels();
        Map<String, Integer> counts = pooled.counts();
        StratifiedSplit split = StratifiedSplit.of(labels, classes, options.validationFraction(), options.seed());

        AttributionMetadata draft = new AttributionMetadata(AttributionMetadata.formatFor(options.input()), id, "",
                family, classes, options.cropSize(), options.depth(), 0, "uncalibrated", 0, 0, counts,
                options.epochs(), options.seed(), null, AttributionMetadata.DJL_WEIGHTS, options.input().label(),
                null);
        Engine engine = Engine.getEngine(AttributionNetwork.ENGINE);
        engine.setRandomSeed((int) options.seed());
        LOG.info("training {} on {} images of {} classes ({} held out), crop {} ({}), {} epochs", draft.id(),
                all.size(), classes.size(), split.validation().size(), options.cropSize(), options.input().label(),
                options.epochs());
        Files.createDirectories(out);
        try (Model model = Model.newInstance(draft.id(), engine.getDevices(1)[0], AttributionNetwork.ENGINE)) {
            model.setBlock(draft.newBlock());
            fit(model, subset(all, labels, split.train(), options, new Random(options.seed())),
                    subset(all, labels, split.validation(), options, null), options, out,
                    new EpochHistory(checkpoints, checkpoints.history(draft)));
        } catch (TranslateException e) {
            throw new IOException("training " + draft.id() + " failed: " + e.getMessage(), e);
        }
        return new Fitted(draft, pick(all, split.validation()), pick(labels, split.validation()));
    }

    /**
     * Trains until the last epoch or until {@code patience} epochs bring no better validation result; saves the best
     * epoch's weights to {@code out} whenever one is found, so {@code out} always holds the best network.
     */
    private void fit(Model model, CropDataset train, CropDataset validation, AttributionOptions options, Path out,
            EpochHistory history) throws IOException, TranslateException {
        history.restore(model, out);
        Accuracy accuracy = new Accuracy();
        Loss loss = Loss.softmaxCrossEntropyLoss();
        int batchesPerEpoch = Math.toIntExact(train.size() / options.batchSize());
        int stepsDone = (history.nextEpoch() - 1) * batchesPerEpoch;
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                .optOptimizer(optimizer(options, batchesPerEpoch, stepsDone))
                .optDevices(model.getNDManager().getEngine().getDevices(1))
                .addEvaluator(accuracy)
                .addTrainingListeners(new EvaluatorTrainingListener(), new DivergenceCheckTrainingListener());
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(new Shape(options.batchSize(), 3, options.cropSize(), options.cropSize()));
            Duration validationTook = Duration.ZERO;
            for (int epoch = history.nextEpoch(); epoch <= options.epochs(); epoch++) {
                long started = System.nanoTime();
                int done = 0;
                for (Batch batch : trainer.iterateDataset(train)) {
                    EasyTrain.trainBatch(trainer, batch);
                    trainer.step();
                    batch.close();
                    steps.accept(new BatchProgress(epoch, options.epochs(), ++done, batchesPerEpoch,
                            options.batchSize(), Duration.ofNanos(System.nanoTime() - started), epochValue(loss),
                            epochValue(accuracy), validationTook));
                }
                long validating = System.nanoTime();
                EasyTrain.evaluateDataset(trainer, validation);
                validationTook = Duration.ofNanos(System.nanoTime() - validating);
                EpochReport report = history.add(epoch, options.epochs(), epochValue(loss), epochValue(accuracy),
                        validated(accuracy), validated(loss), Duration.ofNanos(System.nanoTime() - started));
                if (report.best()) {
                    saveOnly(model, out);
                }
                history.save(model);
                progress.accept(report);
                // Resets the accumulators for the next epoch.
                trainer.notifyListeners(listener -> listener.onEpoch(trainer));
                if (options.patience() > 0 && history.epochsSinceBest() >= options.patience()
                        && epoch < options.epochs()) {
                    LOG.info("stopping after epoch {}: no better validation result for {} epochs; keeping epoch {}",
                            epoch, options.patience(), history.best().epoch());
                    break;
                }
            }
            trainer.notifyListeners(listener -> listener.onTrainingEnd(trainer));
        }
    }

    /** The run's optimiser; a resumed run picks the schedule up where its last epoch left it. */
    private static Optimizer optimizer(AttributionOptions options, int batchesPerEpoch, int stepsDone) {
        Tracker rate = learningRate(options, batchesPerEpoch);
        float decay = (float) options.optimization().weightDecay();
        return switch (options.optimization().kind()) {
            case ADAM -> Optimizer.adam().optLearningRateTracker(rate).optBeginNumUpdate(stepsDone).build();
            case ADAMW -> Optimizer.adamW().optLearningRateTracker(rate).optWeightDecays(decay)
                    .optBeginNumUpdate(stepsDone).build();
            case SGD ->
                Optimizer.sgd().setLearningRateTracker(rate).optMomentum(AttributionOptions.Optimization.MOMENTUM)
                        .optWeightDecays(decay).optBeginNumUpdate(stepsDone).build();
        };
    }

    private static Tracker learningRate(AttributionOptions options, int batchesPerEpoch) {
        float peak = (float) options.learningRate();
        return switch (options.schedule()) {
            case FIXED -> Tracker.fixed(peak);
            case COSINE -> Tracker.cosine().setBaseValue(peak).optFinalValue(peak / 100)
                    .setMaxUpdates(Math.max(1, options.epochs() * batchesPerEpoch)).build();
        };
    }

    private static double validated(Evaluator evaluator) {
        return evaluator.getAccumulator(EvaluatorTrainingListener.VALIDATE_EPOCH);
    }

    private static double epochValue(Evaluator evaluator) {
        return evaluator.getAccumulator(EvaluatorTrainingListener.TRAIN_EPOCH);
    }

    private static CropDataset subset(List<BufferedImage> images, int[] labels, List<Integer> indices,
            AttributionOptions options, Random augment) {
        return CropDataset.of(pick(images, indices), pick(labels, indices), options.cropSize(), options.input(),
                options.batchSize(), augment, options.augmentations(), options.pad());
    }

    private static <T> List<T> pick(List<T> items, List<Integer> indices) {
        return indices.stream().map(items::get).toList();
    }

    private static int[] pick(int[] labels, List<Integer> indices) {
        return indices.stream().mapToInt(i -> labels[i]).toArray();
    }

    /**
     * Saves the model's weights as the network directory's only parameters file, {@code attribution-0000.params}: DJL
     * numbers each save of a prefix ({@code attribution-0003.params}), so the earlier best epochs' files would stay
     * behind.
     */
    static void saveOnly(Model model, Path out) throws IOException {
        model.save(out, AttributionMetadata.PARAMETERS_PREFIX);
        List<Path> saved;
        try (Stream<Path> files = Files.list(out)) {
            saved = files.filter(file -> {
                String name = file.getFileName().toString();
                return name.startsWith(AttributionMetadata.PARAMETERS_PREFIX + "-") && name.endsWith(".params");
            }).sorted().toList();
        }
        Path only = out.resolve(AttributionMetadata.PARAMETERS_PREFIX + "-0000.params");
        Path latest = saved.getLast();
        if (!latest.equals(only)) {
            Files.move(latest, only, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        for (Path earlier : saved.subList(0, saved.size() - 1)) {
            if (!earlier.equals(only)) {
                Files.delete(earlier);
            }
        }
    }
}
