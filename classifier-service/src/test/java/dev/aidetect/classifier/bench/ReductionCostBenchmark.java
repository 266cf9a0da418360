package dev.aidetect.classifier.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import dev.aidetect.heads.HeadReduction;
import dev.aidetect.heads.HeadTrainer;
import dev.aidetect.heads.HeadTrainingOptions;
import dev.aidetect.heads.VectorHead;
import dev.aidetect.heads.fixtures.GaussianClouds;

/**
 * Not a test: prints what a vector costs the classifier's serving path ({@code VectorHead.classify}, as
 * {@code VectorClassifier} calls it) with no reduction, PCA and an autoencoder, on CLIP-sized (768) vectors, so the
 * autoencoder's cost in the serving path is a measured figure (heads README). Run it by name:
 *
 * <pre>
 * ./mvnw -B -ntp -o -pl classifier-service -am test -Dtest=ReductionCostBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class ReductionCostBenchmark {
    private static final int SIZE = 768;
    private static final int CALLS = 20_000;
    private static final int ROUNDS = 5;

    @Test
    void printsThePerVectorCostOfEachReduction() throws IOException {
        PrintStream out = System.out;
        GaussianClouds clouds = GaussianClouds.of(List.of("REAL", "FAKE"), 300, SIZE, 4, 1);
        GaussianClouds fresh = GaussianClouds.of(List.of("REAL", "FAKE"), 500, SIZE, 4, 2);
        Path dir = Files.createTempDirectory("reduction-bench");
        out.printf(Locale.ROOT, "%n%d-dimensional vectors, logistic regression, median of %d rounds of %d "
                + "classify() calls, %d cores%n", SIZE, ROUNDS, CALLS, Runtime.getRuntime().availableProcessors());
        for (HeadReduction reduction : List.of(HeadReduction.none(), HeadReduction.pca(64),
                HeadReduction.autoencoder(64).withEpochs(5), HeadReduction.autoencoder(32).withEpochs(5))) {
            new HeadTrainer(line -> {
            }).train(clouds.vectors(), clouds.labels(), HeadTrainingOptions.detection("clip").withReduction(reduction),
                    dir.resolve(reduction.label() + ".head"));
            // Loaded from its file, as the classifier serves it.
            VectorHead head = VectorHead.load(dir.resolve(reduction.label() + ".head"));
            double micros = perVector(head, fresh.vectors());
            out.printf(Locale.ROOT, "  %-16s %8.1f us/vector%n", reduction.label(), micros);
        }
    }

    private static double perVector(VectorHead head, List<float[]> vectors) {
        double[] rounds = new double[ROUNDS];
        for (int round = -1; round < ROUNDS; round++) {
            long started = System.nanoTime();
            double sink = 0;
            for (int i = 0; i < CALLS; i++) {
                sink += head.classify(vectors.get(i % vectors.size())).score();
            }
            if (round >= 0) {
                rounds[round] = (System.nanoTime() - started) / 1000.0 / CALLS + (sink < 0 ? 1 : 0);
            }
        }
        Arrays.sort(rounds);
        return rounds[ROUNDS / 2];
    }
}
