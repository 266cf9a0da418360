package dev.aidetect.tools.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import dev.aidetect.heads.HeadAlgorithm;
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
            + "before the head; 0: off (default ${DEFAULT-VALUE}).")
    int pca;

    @Option(names = "--threshold", defaultValue = "fixed-0.5", description = "How each head's threshold is "
            + "chosen on its validation split: fixed-0.5, best-accuracy, or fpr=<rate> (the lowest threshold "
            + "whose false-positive rate on validation negatives is at most rate) (default ${DEFAULT-VALUE}).")
    String threshold;

    @Option(names = "--calibration", defaultValue = "native", description = "How scores become probabilities: "
            + "native (the model's own; Platt for SVM/kNN), platt or isotonic (fitted on 20%% of the training "
            + "vectors held out) (default ${DEFAULT-VALUE}).")
    String calibration;

    @Option(names = "--compare", description = "Cross-validate every algorithm for the --stage heads, print "
            + "a table per stage and keep the best.")
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
        try {
            plan = new HeadPlan(HeadAlgorithm.of(algorithm), pca, compare ? HeadPlan.Compared.of(stage) : null, folds,
                    ThresholdRule.of(threshold), ScoreCalibration.of(calibration));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintWriter err = spec.commandLine().getErr();
        if (source.images != null) {
            List<LabelledImage> files = LabelledImage.collect(List.of(source.images));
            TurboJpegLibrary.fallbackNote("training").ifPresent(note -> err.println("  " + note));
            new ModelTraining(spec.commandLine().getOut()).trainHeads(encoder, files, out, plan,
                    Progress.counter("embedding", files.size(), err), Progress.lines("comparing", err));
            return 0;
        }
        LabelledEmbeddings data = source.topic != null
                ? EmbeddingSources.replay(kafka.reachable(), source.topic, total -> Progress.counter("replaying",
                        total, err))
                : EmbeddingSources.read(source.embeddings);
        new HeadTraining(spec.commandLine().getOut()).train(data, out, plan, Progress.lines("comparing", err));
        return 0;
    }
}
