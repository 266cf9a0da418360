package dev.aidetect.heads.attribution;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;

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

/**
 * Trains a per-family {@link AttributionNetwork} from labelled images: a DJL ResNet on random pixel crops and flips
 * (Adam, softmax cross-entropy), optional JPEG/blur augmentation, a stratified held-out split for validation and
 * early stopping (the best epoch's weights are kept), optional per-epoch checkpoints to resume from, and an unknown
 * threshold calibrated on the held-out images. Writes the network directory and reports progress after every epoch. Plain Java, so
 * command-line tools and tests call it directly.
 */
public final class AttributionTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(AttributionTrainer.class);

    private final Consumer<EpochReport> progress;

    /** A trainer that logs each epoch. */
    public AttributionTrainer() {
        this(report -> LOG.info("{}", report));
    }

    /** A trainer that hands each epoch's report to {@code progress} (e.g. a command line's progress display). */
    public AttributionTrainer(Consumer<EpochReport> progress) {
        this.progress = progress;
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
        Map<String, List<BufferedImage>> byGenerator = new TreeMap<>(images);
        List<String> classes = List.copyOf(byGenerator.keySet());
        if (classes.size() < 2) {
            throw new IllegalArgumentException("attribution needs at least two generators to tell apart, got "
                    + classes + " for family " + family);
        }
        List<BufferedImage> all = new ArrayList<>();
        List<Integer> labelList = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        byGenerator.forEach((generator, list) -> {
            all.addAll(list);
            list.forEach(image -> labelList.add(classes.indexOf(generator)));
            counts.put(generator, list.size());
        });
        int[] labels = labelList.stream().mapToInt(Integer::intValue).toArray();
        StratifiedSplit split = StratifiedSplit.of(labels, classes, options.validationFraction(), options.seed());

        AttributionMetadata draft = new AttributionMetadata(AttributionMetadata.FORMAT_VERSION,
                "attribution-" + family + "-resnet" + options.depth(), "", family, classes, options.cropSize(),
                options.depth(), 0, "uncalibrated", 0, 0, counts, options.epochs(), options.seed(), null,
                AttributionMetadata.DJL_WEIGHTS);
        Engine engine = Engine.getEngine(AttributionNetwork.ENGINE);
        engine.setRandomSeed((int) options.seed());
        LOG.info("training {} on {} images of {} generators ({} held out), crop {}, {} epochs", draft.id(),
                all.size(), classes.size(), split.validation().size(), options.cropSize(), options.epochs());
        Files.createDirectories(out);
        try (Model model = Model.newInstance(draft.id(), engine.getDevices(1)[0], AttributionNetwork.ENGINE)) {
            model.setBlock(draft.newBlock());
            fit(model, subset(all, labels, split.train(), options, new Random(options.seed())),
                    subset(all, labels, split.validation(), options, null), options, out,
                    new EpochHistory(checkpoints, checkpoints.history(draft)));
        } catch (TranslateException e) {
            throw new IOException("training " + draft.id() + " failed: " + e.getMessage(), e);
        }
        return AttributionCalibration.calibrate(out, draft, pick(all, split.validation()), pick(labels,
                split.validation()), options.unknownPercentile());
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
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                .optOptimizer(Optimizer.adam()
                        .optLearningRateTracker(Tracker.fixed((float) options.learningRate()))
                        .build())
                .optDevices(model.getNDManager().getEngine().getDevices(1))
                .addEvaluator(accuracy)
                .addTrainingListeners(new EvaluatorTrainingListener(), new DivergenceCheckTrainingListener());
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(new Shape(options.batchSize(), 3, options.cropSize(), options.cropSize()));
            for (int epoch = history.nextEpoch(); epoch <= options.epochs(); epoch++) {
                long started = System.nanoTime();
                for (Batch batch : trainer.iterateDataset(train)) {
                    EasyTrain.trainBatch(trainer, batch);
                    trainer.step();
                    batch.close();
                }
                EasyTrain.evaluateDataset(trainer, validation);
                EpochReport report = history.add(epoch, options.epochs(), epochValue(loss), epochValue(accuracy),
                        validated(accuracy), validated(loss), Duration.ofNanos(System.nanoTime() - started));
                if (report.best()) {
                    model.save(out, AttributionMetadata.PARAMETERS_PREFIX);
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

    private static double validated(Evaluator evaluator) {
        return evaluator.getAccumulator(EvaluatorTrainingListener.VALIDATE_EPOCH);
    }

    private static double epochValue(Evaluator evaluator) {
        return evaluator.getAccumulator(EvaluatorTrainingListener.TRAIN_EPOCH);
    }

    private static CropDataset subset(List<BufferedImage> images, int[] labels, List<Integer> indices,
            AttributionOptions options, Random augment) {
        return CropDataset.of(pick(images, indices), pick(labels, indices), options.cropSize(), options.batchSize(),
                augment, options.augmentations());
    }

    private static <T> List<T> pick(List<T> items, List<Integer> indices) {
        return indices.stream().map(items::get).toList();
    }

    private static int[] pick(int[] labels, List<Integer> indices) {
        return indices.stream().mapToInt(i -> labels[i]).toArray();
    }
}
