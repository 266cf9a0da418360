package dev.aidetect.heads;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;

/**
 * Trains an autoencoder on preprocessed training vectors with DJL (PyTorch engine, CPU): encoder
 * {@code in -> hidden (ReLU) -> dimensions}, decoder its mirror {@code dimensions -> hidden (ReLU) -> in}, mean squared
 * reconstruction error, Adam, seeded shuffles and initialisation. Keeps the encoder as an
 * {@link AutoencoderReduction}, after checking that its Java forward pass gives DJL's codes.
 */
final class AutoencoderTrainer {
    static final String ENGINE = "PyTorch";
    private static final int BATCH = 64;
    private static final float LEARNING_RATE = 1e-3f;
    /** Java's forward pass must agree with DJL's to float precision, or the served head is not the trained one. */
    private static final double AGREEMENT = 1e-4;

    private AutoencoderTrainer() {
    }

    /**
     * A trained encoder and how well its autoencoder reconstructs the training vectors.
     *
     * @param reconstructionMse mean squared error per component, last epoch
     */
    record Trained(AutoencoderReduction encoder, double reconstructionMse) {
    }

    /**
     * @param x preprocessed training vectors
     * @param progress one line per epoch
     */
    static Trained train(double[][] x, HeadReduction reduction, long seed, Consumer<String> progress) {
        int in = x[0].length;
        reduction.checkInput(in);
        int hidden = reduction.hiddenFor(in);
        int dims = reduction.dimensions();
        Engine engine = Engine.getEngine(ENGINE);
        engine.setRandomSeed((int) seed);
        SequentialBlock encoder = new SequentialBlock()
                .add(Linear.builder().setUnits(hidden).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(dims).build());
        SequentialBlock decoder = new SequentialBlock()
                .add(Linear.builder().setUnits(hidden).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(in).build());
        try (Model model = Model.newInstance("autoencoder", engine.defaultDevice(), ENGINE)) {
            model.setBlock(new SequentialBlock().add(encoder).add(decoder));
            Loss mse = Loss.l2Loss("mse", 1);
            DefaultTrainingConfig config = new DefaultTrainingConfig(mse)
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(LEARNING_RATE)).build())
                    .optDevices(new Device[]{engine.defaultDevice()});
            double loss = Double.NaN;
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(BATCH, in));
                Random random = new Random(seed);
                initialize(model.getBlock(), random);
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < x.length; i++) {
                    order.add(i);
                }
                String shape = in + " -> " + hidden + " -> " + dims;
                for (int epoch = 1; epoch <= reduction.epochs(); epoch++) {
                    long started = System.nanoTime();
                    Collections.shuffle(order, random);
                    double sum = 0;
                    for (int from = 0; from < x.length; from += BATCH) {
                        List<Integer> batch = order.subList(from, Math.min(from + BATCH, x.length));
                        sum += step(trainer, model.getNDManager(), x, batch, mse) * batch.size();
                    }
                    loss = sum / x.length;
                    if (!Double.isFinite(loss)) {
                        throw new IllegalStateException("the autoencoder " + shape + " diverged in epoch " + epoch
                                + " (reconstruction error " + loss + "); check the vectors for huge values");
                    }
                    progress.accept(String.format(Locale.ROOT,
                            "autoencoder %s epoch %d/%d: reconstruction MSE %.4f (%d vectors, %d ms)", shape, epoch,
                            reduction.epochs(), loss, x.length, (System.nanoTime() - started) / 1_000_000));
                }
            }
            AutoencoderReduction reduced = new AutoencoderReduction(in, weight(encoder, 0), bias(encoder, 0),
                    weight(encoder, 2), bias(encoder, 2));
            checkAgreement(encoder, model.getNDManager(), x, reduced);
            return new Trained(reduced, loss);
        }
    }

    /**
     * Xavier-uniform weights and zero biases drawn from the seeded Java random: the engine's own initialisation is
     * not reproducible across runs, and an artifact's version must be (same data, same seed, same version).
     */
    private static void initialize(Block block, Random random) {
        for (Pair<String, Parameter> named : block.getParameters()) {
            NDArray array = named.getValue().getArray();
            float[] values = new float[Math.toIntExact(array.size())];
            if (named.getValue().getType() == Parameter.Type.WEIGHT) {
                Shape shape = array.getShape();
                double limit = Math.sqrt(6.0 / (shape.get(0) + shape.get(1)));
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) ((2 * random.nextDouble() - 1) * limit);
                }
            }
            array.set(values);
        }
    }

    /** One Adam step on the vectors at {@code batch}; returns the batch's mean loss. */
    private static double step(Trainer trainer, NDManager parent, double[][] x, List<Integer> batch, Loss loss) {
        try (NDManager manager = parent.newSubManager()) {
            NDArray input = manager.create(rows(x, batch), new Shape(batch.size(), x[0].length));
            NDList target = new NDList(input);
            float value;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList output = trainer.forward(target);
                NDArray error = loss.evaluate(target, output);
                value = error.getFloat();
                collector.backward(error);
            }
            trainer.step();
            return value;
        }
    }

    private static float[] rows(double[][] x, List<Integer> indices) {
        int size = x[0].length;
        float[] flat = new float[indices.size() * size];
        for (int r = 0; r < indices.size(); r++) {
            double[] row = x[indices.get(r)];
            for (int c = 0; c < size; c++) {
                flat[r * size + c] = (float) row[c];
            }
        }
        return flat;
    }

    private static float[] weight(SequentialBlock encoder, int layer) {
        return encoder.getChildren().get(layer).getValue().getParameters().get("weight").getArray().toFloatArray();
    }

    private static float[] bias(SequentialBlock encoder, int layer) {
        return encoder.getChildren().get(layer).getValue().getParameters().get("bias").getArray().toFloatArray();
    }

    /** Codes of up to a batch of training vectors, by DJL and by the Java forward pass, must agree. */
    private static void checkAgreement(SequentialBlock encoder, NDManager parent, double[][] x,
            AutoencoderReduction reduced) {
        List<Integer> sample = new ArrayList<>();
        for (int i = 0; i < Math.min(BATCH, x.length); i++) {
            sample.add(i);
        }
        try (NDManager manager = parent.newSubManager()) {
            NDArray input = manager.create(rows(x, sample), new Shape(sample.size(), x[0].length));
            float[] djl = encoder.forward(new ParameterStore(manager, false), new NDList(input),
                    false).singletonOrThrow().toFloatArray();
            for (int r = 0; r < sample.size(); r++) {
                double[] java = reduced.apply(x[r]);
                for (int k = 0; k < java.length; k++) {
                    double expected = djl[r * java.length + k];
                    if (Math.abs(java[k] - expected) > AGREEMENT * (1 + Math.abs(expected))) {
                        throw new IllegalStateException("the autoencoder's Java forward pass gives " + java[k]
                                + " where DJL gives " + expected + " (vector " + r + ", component " + k
                                + "); the exported weights do not match the trained network");
                    }
                }
            }
        }
    }
}
