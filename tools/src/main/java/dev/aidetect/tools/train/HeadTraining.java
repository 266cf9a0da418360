package dev.aidetect.tools.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import dev.aidetect.heads.HeadAlgorithm;
import dev.aidetect.heads.HeadComparison;
import dev.aidetect.heads.HeadMetadata;
import dev.aidetect.heads.HeadTrainer;
import dev.aidetect.heads.HeadTrainingOptions;
import dev.aidetect.heads.VectorHead;
import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.ImageLabel;

/**
 * Trains the detection head (REAL/FAKE) and the family head (gan/diffusion, on the fakes) from labelled vectors,
 * wherever they came from (an image folder, a replayed topic, an Avro file). A head the plan compares is chosen by
 * cross-validating every algorithm with every reduction of the plan's grid: its table is printed and the best is kept
 * (the family head then uses the detection head's choice unless compared itself).
 */
public final class HeadTraining {
    private final PrintWriter log;

    public HeadTraining(PrintWriter log) {
        this.log = log;
    }

    /** The heads written into {@code outDir}: detection always, family when the fakes name two families. */
    public ModelTraining.Heads train(LabelledEmbeddings data, Path outDir, HeadPlan plan,
            Consumer<String> progress) throws IOException {
        return train(data, List.of(), outDir, plan, progress);
    }

    /**
     * As {@link #train(LabelledEmbeddings, Path, HeadPlan, Consumer)}, also fitting on augmented copies of each
     * vector's image ({@code copies.get(i)} for vector {@code i}; empty: none), in training splits only.
     *
     * @param progress the autoencoder's epochs and the comparison's folds
     */
    public ModelTraining.Heads train(LabelledEmbeddings data, List<List<float[]>> copies, Path outDir, HeadPlan plan,
            Consumer<String> progress) throws IOException {
        data.skipped().forEach(s -> log.println("  skipped " + s));
        log.printf("  %d labelled %s vectors of size %d%n", data.vectors().size(), data.encoderId(),
                data.vectors().getFirst().length);
        Files.createDirectories(outDir);
        List<String> authenticity = data.labels().stream().map(l -> l.getAuthenticity().name()).toList();
        Path detection = outDir.resolve(ModelTraining.DETECTION_HEAD);
        HeadTrainingOptions chosen = trainOne(data.vectors(), authenticity, copies, plan.apply(HeadTrainingOptions
                .detection(data.encoderId())).withAlgorithm(plan.algorithm()), plan, detection, progress);

        List<float[]> fakeVectors = new ArrayList<>();
        List<List<float[]>> fakeCopies = new ArrayList<>();
        List<String> families = new ArrayList<>();
        for (int i = 0; i < data.labels().size(); i++) {
            ImageLabel label = data.labels().get(i);
            if (label.getAuthenticity() == Authenticity.FAKE && label.getFamily() != null) {
                fakeVectors.add(data.vectors().get(i));
                families.add(label.getFamily());
                if (!copies.isEmpty()) {
                    fakeCopies.add(copies.get(i));
                }
            }
        }
        if (families.stream().distinct().count() < 2) {
            log.println("  no family head: the fakes name fewer than two families");
            return new ModelTraining.Heads(detection, null);
        }
        Path family = outDir.resolve(ModelTraining.FAMILY_HEAD);
        trainOne(fakeVectors, families, fakeCopies, plan.apply(HeadTrainingOptions.family(data.encoderId()))
                .withAlgorithm(chosen.algorithm()).withReduction(chosen.reduction()), plan, family, progress);
        return new ModelTraining.Heads(detection, family);
    }

    /**
     * Trains one head into {@code file}, by comparison when the plan says so; returns its options (the algorithm
     * and reduction chosen).
     */
    private HeadTrainingOptions trainOne(List<float[]> vectors, List<String> labels, List<List<float[]>> copies,
            HeadTrainingOptions options, HeadPlan plan, Path file, Consumer<String> progress) throws IOException {
        if (!plan.compares(options.stage())) {
            report(new HeadTrainer(progress).train(vectors, labels, copies, options, file), file);
            return options;
        }
        Path candidates = file.resolveSibling("candidates").resolve(options.stage().name().toLowerCase(Locale.ROOT));
        HeadComparison.Result result = new HeadComparison().compare(vectors, labels, copies, options,
                List.of(HeadAlgorithm.values()), plan.grid(), plan.folds(), candidates, progress);
        ComparisonReport.print(result, options.stage(), options.classes(), plan.folds(), log);
        // Moved into place whole: a classifier watching the file never reads half of it.
        Path partial = Files.copy(result.best().artifact(), file.resolveSibling(file.getFileName() + ".partial"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        report(VectorHead.load(file), file);
        return options.withAlgorithm(result.best().algorithm()).withReduction(result.best().reduction());
    }

    private void report(VectorHead head, Path file) {
        HeadMetadata m = head.metadata();
        log.printf("  %-16s %s, threshold %.4f (%s), calibration %s, reduction %s -> %s%n", m.id(), m.validation(),
                m.threshold(), m.thresholdMethod(), m.calibration(), ComparisonReport.reduction(m), file);
    }
}
