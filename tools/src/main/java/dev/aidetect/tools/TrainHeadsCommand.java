package dev.aidetect.tools;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import dev.aidetect.heads.HeadAlgorithm;
import dev.aidetect.heads.ScoreCalibration;
import dev.aidetect.heads.ThresholdRule;
import dev.aidetect.tools.submit.LabelledImage;
import dev.aidetect.tools.train.HeadPlan;
import dev.aidetect.tools.train.ModelTraining;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "heads", mixinStandardHelpOptions = true, description = "Train the detection head (REAL/FAKE) and the family head (gan/diffusion) on encoder vectors "
        + "of a labelled image folder (real/, fake/<family>/<generator>/).")
final class TrainHeadsCommand implements Callable<Integer> {
    @Option(names = "--images", required = true, description = "Labelled image folder.")
    Path images;

    @Option(names = "--encoder", defaultValue = "deploy/models/tiny-clip-vit/manifest.json", description = "Encoder manifest (default ${DEFAULT-VALUE}).")
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

    @Option(names = "--compare", description = "Cross-validate every algorithm for the detection head, print "
            + "the table and keep the best.")
    boolean compare;

    @Option(names = "--folds", defaultValue = "5", description = "Cross-validation folds for --compare "
            + "(default ${DEFAULT-VALUE}).")
    int folds;

    @Override
    public Integer call() {
        HeadPlan plan = new HeadPlan(HeadAlgorithm.of(algorithm), pca, compare, folds,
                ThresholdRule.of(threshold), ScoreCalibration.of(calibration));
        List<LabelledImage> files = LabelledImage.collect(List.of(images));
        new ModelTraining(System.out).trainHeads(encoder, files, out, plan,
                Progress.counter("embedding", files.size()), Progress.lines("comparing"));
        return 0;
    }
}
