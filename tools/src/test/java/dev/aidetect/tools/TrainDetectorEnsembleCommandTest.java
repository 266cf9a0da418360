package dev.aidetect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.heads.attribution.DetectionNetwork;
import dev.aidetect.heads.attribution.TestViews;
import dev.aidetect.heads.fixtures.SyntheticGenerators;

/** {@code train detector-ensemble} on two short {@code train detector} runs of one folder. */
class TrainDetectorEnsembleCommandTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void trainTwoMembers() throws IOException {
        Map<String, List<BufferedImage>> images = SyntheticGenerators.images(12, 32, 9);
        write(images.get(SyntheticGenerators.SMOOTH), dir.resolve("data/real"));
        write(images.get(SyntheticGenerators.BLOCKY), dir.resolve("data/fake/diffusion/sd-1.4"));
        member("a");
        member("b", "--crop", "32", "--pad", "4");
        member("other-seed", "--seed", "7");
    }

    @Test
    void averagesTheMembersIntoOneServedModelAndShowsWhatEachScoredAlone() throws IOException {
        CliRun run = CliRun.of("train", "detector-ensemble", "--members", dir.resolve("a/detection-network") + ","
                + dir.resolve("b/detection-network"), "--images", dir.resolve("data").toString(), "--per-class",
                "10", "--validation", "0.2", "--shift", "2", "--mirror", "--out", dir.resolve("ensemble").toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("scoring 4 held-out images with 2 networks, 10 views (shift2-mirror) each",
                "member detection-resnet20-rgb version", "detection-ensemble-2-shift2-mirror version",
                "on 4 held-out images");
        assertThat(run.err()).contains("decoding 20/20");
        try (DetectionNetwork ensemble = DetectionNetwork.load(dir.resolve("ensemble/detection-network"))) {
            assertThat(ensemble.members()).hasSize(2);
            assertThat(ensemble.views()).isEqualTo(new TestViews(2, true));
            assertThat(ensemble.detect(SyntheticGenerators.images(1, 32, 3).get(SyntheticGenerators.BLOCKY)
                    .getFirst()).decision()).isIn(DetectionNetwork.FAKE, DetectionNetwork.REAL);
        }
    }

    @Test
    void refusesMembersSplitWithDifferentSeedsNamingThem() {
        CliRun run = CliRun.of("train", "detector-ensemble", "--members", dir.resolve("a/detection-network") + ","
                + dir.resolve("other-seed/detection-network"), "--images", dir.resolve("data").toString(),
                "--per-class", "10", "--validation", "0.2", "--out", dir.resolve("refused").toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("split with different seeds", "seed 42", "seed 7", "train them with one --seed");
    }

    @Test
    void refusesAnotherValidationShareThanTheMembersHad() {
        CliRun run = CliRun.of("train", "detector-ensemble", "--members", dir.resolve("a/detection-network") + ","
                + dir.resolve("b/detection-network"), "--images", dir.resolve("data").toString(), "--per-class",
                "10", "--out", dir.resolve("refused").toString());

        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).contains("held out 4", "with 2 held out",
                "give the folder, seed and validation share it was trained with");
    }

    @Test
    void refusesASingleMember() {
        CliRun run = CliRun.of("train", "detector-ensemble", "--members", dir.resolve("a/detection-network")
                .toString(), "--images", dir.resolve("data").toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--members needs at least 2 networks, or 1 with --shift or --mirror; got 1");
    }

    private static void member(String name, String... options) {
        List<String> args = new ArrayList<>(List.of("train", "detector", "--images",
                dir.resolve("data").toString(), "--out", dir.resolve(name).toString(), "--per-class", "10",
                "--epochs", "1", "--batch", "4", "--validation", "0.2"));
        args.addAll(List.of(options));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exit()).as(run.err()).isZero();
    }

    private static void write(List<BufferedImage> images, Path folder) throws IOException {
        Files.createDirectories(folder);
        for (int i = 0; i < images.size(); i++) {
            ImageIO.write(images.get(i), "png", folder.resolve("image-" + i + ".png").toFile());
        }
    }
}
