package dev.aidetect.tools.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.aidetect.heads.HeadAlgorithm;
import dev.aidetect.heads.HeadReduction;
import dev.aidetect.heads.ScoreCalibration;
import dev.aidetect.heads.ThresholdRule;
import dev.aidetect.imaging.decode.TurboJpegLibrary;
import dev.aidetect.tools.cli.KafkaClusterOption;
import dev.aidetect.tools.cli.Progress;
import dev.aidetect.tools.dataset.LabelledImage;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "heads", mixinStandardHelpOptions = true, description = "Train the detection head (REAL/FAKE) and the family head (gan/diffusion) on labelled encoder "
        + "vectors: of a labelled image folder (real/, fake/<family>/<generator>/), a replayed topic of "
        + "ImageEmbedding records, or an Avro file of them.")
public final class TrainHeadsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** Where the labelled vectors come from: exactly one. */
    static final class Source {
        @Option(names = "--images", description = "Labelled image folder, embedded first with --encoder.")
        Path images;

        @Option(names = "--topic", description = "Topic of labelled ImageEmbedding records (e.g. images.embedded), "
                + "replayed from its earliest offset to its current end (read_committed, no consumer group).")
        String topic;

        @Option(names = "--embeddings", description = "Avro container file of ImageEmbedding records "
                + "(aidetect export embeddings).")
        Path embeddings;
    }

    @Mixin
    KafkaClusterOption kafka;

    @Option(names = "--encoder", defaultValue = "deploy/models/tiny-clip-vit/manifest.json", description = "Encoder manifest for --images (default ${DEFAULT-VALUE}).")
    Path encoder;

    @Option(names = "--out", defaultValue = "models", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--algorithm", defaultValue = "logistic-regression", description = "Head algorithm: "
            + "logistic-regression, lda, qda, linear-svm, rbf-svm, knn-1, knn-3, knn-5, cosine-nn, random-forest, "
            + "gradient-boosting, decision-tree, naive-bayes (default ${DEFAULT-VALUE}).")
    String algorithm;

    @Option(names = "--pca", defaultValue = "0", description = "Project onto this many principal components "
            + "before the head; 0: off; the same as --reduce pca --dims N (default ${DEFAULT-VALUE}).")
    int pca;

    @Option(names = "--reduce", defaultValue = "none", description = "Reduce the (normalised, standardised) vectors "
            + "before the head: none, pca (principal components) or autoencoder (trained here with DJL; its encoder "
            + "half is stored in the head and runs before it when serving) (default ${DEFAULT-VALUE}).")
    String reduce;

    @Option(names = "--dims", defaultValue = "0", description = "Dimensions --reduce reduces to, fewer than the "
            + "vectors have (the seeds reduce CLIP's 768 to 64 or 32).")
    int dims;

    @Option(names = "--autoencoder-epochs", defaultValue = "30", description = "Training epochs of each autoencoder "
            + "(default ${DEFAULT-VALUE}).")
    int autoencoderEpochs;

    @Option(names = "--grid-dims", split = ",", defaultValue = "64,32", description = "Reduced sizes the --compare "
            + "grid tries, each by PCA and by an autoencoder, besides no reduction (default ${DEFAULT-VALUE}).")
    List<Integer> gridDims;

    @Option(names = "--augment", split = ",", paramLabel = "KIND", description = "With --images: also embed "
            + "augmented copies of the images and train on those of the training split: any of jpeg (re-encode at "
            + "quality 30-95), blur (Gaussian, sigma 0-3), jitter (brightness, contrast, saturation x0.7-1.3), crop "
            + "(70-100%% of each side); each copy gets all kinds given.")
    List<String> augment = new ArrayList<>();

    @Option(names = "--copies", defaultValue = "1", description = "Augmented copies per image with --augment "
            + "(default ${DEFAULT-VALUE}).")
    int copies;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the augmentations (default "
            + "${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threshold", defaultValue = "fixed-0.5", description = "How each head's threshold is "
            + "chosen on its validation split: fixed-0.5, best-accuracy, or fpr=<rate> (the lowest threshold "
            + "whose false-positive rate on validation negatives is at most rate) (default ${DEFAULT-VALUE}).")
    String threshold;

    @Option(names = "--calibration", defaultValue = "native", description = "How scores become probabilities: "
            + "native (the model's own; Platt for SVM/kNN), platt or isotonic (fitted on 20%% of the training "
            + "vectors held out) (default ${DEFAULT-VALUE}).")
    String calibration;

    @Option(names = "--compare", description = "Cross-validate every algorithm with every reduction of the grid "
            + "(none, then pca and autoencoder to each --grid-dims) for the --stage heads, print a table per stage "
            + "and keep the best.")
    boolean compare;

    @Option(names = "--stage", defaultValue = "detection", description = "Heads --compare chooses: detection, "
            + "family (gan vs diffusion on the fakes) or both; the others use --algorithm (default "
            + "${DEFAULT-VALUE}).")
    String stage;

    @Option(names = "--folds", defaultValue = "5", description = "Cross-validation folds for --compare "
            + "(default ${DEFAULT-VALUE}).")
    int folds;

    @Override
    public Integer call() throws IOException {
        HeadPlan plan;
        HeadAugmentation.Plan augmentation;
        try {
            plan = new HeadPlan(HeadAlgorithm.of(algorithm), reduction(), compare ? HeadPlan.Compared.of(stage) : null,
                    folds, ThresholdRule.of(threshold), ScoreCalibration.of(calibration), gridDims,
                    autoencoderEpochs);
            augmentation = new HeadAugmentation.Plan(HeadAugmentation.parse(augment), copies, seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        if (augmentation.any() && source.images == null) {
            throw new ParameterException(spec.commandLine(), "--augment makes copies of images, so it needs --images "
                    + "(vectors from --topic or --embeddings have no pixels to augment)");
        }
        PrintWriter err = spec.commandLine().getErr();
        if (source.images != null) {
            List<LabelledImage> files = LabelledImage.collect(List.of(source.images));
            TurboJpegLibrary.fallbackNote("training").ifPresent(note -> err.println("  " + note));
            new ModelTraining(spec.commandLine().getOut()).trainHeads(encoder, files, out, plan, augmentation,
                    Progress.counter("embedding", files.size(), err), Progress.lines("training", err));
            return 0;
        }
        LabelledEmbeddings data = source.topic != null
                ? EmbeddingSources.replay(kafka.reachable(), source.topic, total -> Progress.counter("replaying",
                        total, err))
                : EmbeddingSources.read(source.embeddings);
        new HeadTraining(spec.commandLine().getOut()).train(data, out, plan, Progress.lines("training", err));
        return 0;
    }

    /** {@code --reduce}/{@code --dims}, or the older {@code --pca N}; both at once is a usage error. */
    private HeadReduction reduction() {
        if (pca > 0) {
            if (!"none".equals(reduce) || dims > 0) {
                throw new IllegalArgumentException("--pca " + pca + " and --reduce/--dims both choose a reduction; "
                        + "use --reduce pca --dims " + pca + " alone");
            }
            return HeadReduction.pca(pca);
        }
        return HeadReduction.of(reduce, dims);
    }
}
