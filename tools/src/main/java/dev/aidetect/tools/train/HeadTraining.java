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
 * cross-validating every algorithm: its table is printed and the best is kept.
 */
public final class HeadTraining {
    private final PrintWriter log;

    public HeadTraining(PrintWriter log) {
        this.log = log;
    }

    /** The heads written into {@code outDir}: detection always, family when the fakes name two families. */
    public ModelTraining.Heads train(LabelledEmbeddings data, Path outDir, HeadPlan plan,
            Consumer<String> compareProgress) throws IOException {
        data.skipped().forEach(s -> log.println("  skipped " + s));
        log.printf("  %d labelled %s vectors of size %d%n", data.vectors().size(), data.encoderId(),
                data.vectors().getFirst().length);
        Files.createDirectories(outDir);
        List<String> authenticity = data.labels().stream().map(l -> l.getAuthenticity().name()).toList();
        Path detection = outDir.resolve(ModelTraining.DETECTION_HEAD);
        HeadAlgorithm chosen = trainOne(data.vectors(), authenticity, plan.apply(HeadTrainingOptions
                .detection(data.encoderId())).withAlgorithm(plan.algorithm()), plan, detection, compareProgress);

        List<float[]> fakeVectors = new ArrayList<>();
        List<String> families = new ArrayList<>();
        for (int i = 0; i < data.labels().size(); i++) {
            ImageLabel label = data.labels().get(i);
            if (label.getAuthenticity() == Authenticity.FAKE && label.getFamily() != null) {
                fakeVectors.add(data.vectors().get(i));
                families.add(label.getFamily());
            }
        }
        if (families.stream().distinct().count() < 2) {
            log.println("  no family head: the fakes name fewer than two families");
            return new ModelTraining.Heads(detection, null);
        }
        Path family = outDir.resolve(ModelTraining.FAMILY_HEAD);
        trainOne(fakeVectors, families, plan.apply(HeadTrainingOptions.family(data.encoderId())).withAlgorithm(
                chosen), plan, family, compareProgress);
        return new ModelTraining.Heads(detection, family);
    }

    /** Trains one head into {@code file}, by comparison when the plan says so; returns its algorithm. */
    private HeadAlgorithm trainOne(List<float[]> vectors, List<String> labels, HeadTrainingOptions options,
            HeadPlan plan, Path file, Consumer<String> progress) throws IOException {
        if (!plan.compares(options.stage())) {
            report(new HeadTrainer().train(vectors, labels, options, file), file);
            return options.algorithm();
        }
        Path candidates = file.resolveSibling("candidates").resolve(options.stage().name().toLowerCase(Locale.ROOT));
        HeadComparison.Result result = new HeadComparison().compare(vectors, labels, options,
                List.of(HeadAlgorithm.values()), plan.folds(), candidates, progress);
        ComparisonReport.print(result, options.stage(), options.classes(), plan.folds(), log);
        // Moved into place whole: a classifier watching the file never reads half of it.
        Path partial = Files.copy(result.best().artifact(), file.resolveSibling(file.getFileName() + ".partial"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        report(VectorHead.load(file), file);
        return result.best().algorithm();
    }

    private void report(VectorHead head, Path file) {
        HeadMetadata m = head.metadata();
        log.printf("  %-16s %s, threshold %.4f (%s), calibration %s -> %s%n", m.id(), m.validation(), m.threshold(),
                m.thresholdMethod(), m.calibration(), file);
    }
}
