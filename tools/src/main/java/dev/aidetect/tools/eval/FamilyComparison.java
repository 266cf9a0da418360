package dev.aidetect.tools.eval;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import dev.aidetect.heads.HeadTrainer;
import dev.aidetect.heads.HeadTrainingOptions;
import dev.aidetect.heads.VectorHead;
import dev.aidetect.heads.attribution.AttributionNetwork;
import dev.aidetect.heads.attribution.AttributionOptions;
import dev.aidetect.imaging.encoder.EncoderLoadException;
import dev.aidetect.imaging.encoder.ImageEncoder;
import dev.aidetect.schemas.Authenticity;
import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.train.LabelledEmbeddings;
import dev.aidetect.tools.train.ModelTraining;

/**
 * The family stage both ways on the same data: a vector head (logistic regression on the encoder's vectors, as
 * {@code train heads} makes it) and a ResNet on pixels (as {@code train attribution --family-network} makes it),
 * each trained on the fakes of one labelled folder and scored on the fakes of another. Prints accuracy per family.
 */
public final class FamilyComparison {
    private final PrintWriter log;

    public FamilyComparison(PrintWriter log) {
        this.log = log;
    }

    /** One model's answers on the test fakes, by true family. */
    record Outcome(String model, Map<String, int[]> correctOfTotal) {
        double accuracy() {
            int correct = correctOfTotal.values().stream().mapToInt(c -> c[0]).sum();
            int total = correctOfTotal.values().stream().mapToInt(c -> c[1]).sum();
            return (double) correct / total;
        }
    }

    public void compare(Path encoderManifest, List<LabelledImage> train, List<LabelledImage> test,
            AttributionOptions options, Path workDir) throws IOException {
        List<Outcome> outcomes = new ArrayList<>();
        try (ImageEncoder encoder = ImageEncoder.load(encoderManifest)) {
            LabelledEmbeddings trainVectors = LabelledEmbeddings.embed(encoder, fakes(train), n -> {
            });
            VectorHead head = new HeadTrainer().train(trainVectors.vectors(), families(trainVectors),
                    HeadTrainingOptions.family(encoder.id()), workDir.resolve(ModelTraining.FAMILY_HEAD));
            LabelledEmbeddings testVectors = LabelledEmbeddings.embed(encoder, fakes(test), n -> {
            });
            Map<String, List<float[]>> byFamily = new TreeMap<>();
            for (int i = 0; i < testVectors.vectors().size(); i++) {
                byFamily.computeIfAbsent(testVectors.labels().get(i).getFamily(), f -> new ArrayList<>())
                        .add(testVectors.vectors().get(i));
            }
            outcomes.add(outcome("vector head (" + head.id() + ", encoder " + encoder.id() + ")", byFamily,
                    v -> head.classify(v).decision()));
        } catch (EncoderLoadException e) {
            throw new IOException("cannot load the encoder " + encoderManifest + ": " + e.getMessage(), e);
        }
        ModelTraining training = new ModelTraining(log);
        Path dir = training.trainFamilyNetwork(train, workDir, options, null, false);
        try (AttributionNetwork network = AttributionNetwork.load(dir)) {
            Map<String, List<BufferedImage>> byFamily = new TreeMap<>();
            training.fakesByFamily(test).forEach((family, generators) -> generators.values()
                    .forEach(list -> byFamily.computeIfAbsent(family, f -> new ArrayList<>()).addAll(list)));
            outcomes.add(outcome("pixel network (" + network.id() + ", crop " + options.cropSize() + ")", byFamily,
                    image -> network.attribute(image).decision()));
        }
        print(outcomes);
    }

    private static <T> Outcome outcome(String model, Map<String, List<T>> byFamily, Function<T, String> answer) {
        Map<String, int[]> counts = new TreeMap<>();
        byFamily.forEach((family, inputs) -> counts.put(family, new int[]{
                (int) inputs.stream().filter(input -> family.equals(answer.apply(input))).count(), inputs.size()}));
        return new Outcome(model, counts);
    }

    private void print(List<Outcome> outcomes) {
        log.printf(Locale.ROOT, "%nFamily stage on the test fakes (an unknown answer counts as wrong):%n");
        List<String> families = List.copyOf(outcomes.getFirst().correctOfTotal().keySet());
        StringBuilder header = new StringBuilder(String.format("%-66s %9s", "model", "accuracy"));
        families.forEach(f -> header.append(String.format(" %12s", f)));
        log.println(header);
        for (Outcome outcome : outcomes) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-66s %9.3f", outcome.model(),
                    outcome.accuracy()));
            families.forEach(f -> {
                int[] c = outcome.correctOfTotal().getOrDefault(f, new int[]{0, 0});
                line.append(String.format(" %12s", c[0] + "/" + c[1]));
            });
            log.println(line);
        }
    }

    private static List<LabelledImage> fakes(List<LabelledImage> images) {
        return images.stream().filter(i -> i.label() != null && i.label().getAuthenticity() == Authenticity.FAKE
                && i.label().getFamily() != null).toList();
    }

    private static List<String> families(LabelledEmbeddings data) {
        return data.labels().stream().map(l -> l.getFamily()).toList();
    }
}
