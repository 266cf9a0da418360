package dev.aidetect.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Rejection;
import dev.aidetect.schemas.Stage;

/** The evaluation's numbers on a handful of images whose every verdict is known. */
class EvalMetricsTest {
    private final ScoredImages images = new ScoredImages();

    @Test
    void accuracyIsTheDetectionDecisionAndApAucUseItsScore() {
        images.real("set", 0.1);
        images.real("set", 0.7); // called fake: wrong
        images.fake("set", "gan", "stylegan", 0.9, "gan", "stylegan");
        images.fake("set", "gan", "stylegan", 0.4, null, null); // called real: wrong

        EvalMetrics.Group all = EvalMetrics.groups(images.list()).getFirst();

        assertThat(all.images()).isEqualTo(4);
        assertThat(all.scored()).isEqualTo(4);
        assertThat(all.accuracy()).isEqualTo(0.5);
        assertThat(all.realAccuracy()).isEqualTo(0.5);
        assertThat(all.fakeAccuracy()).isEqualTo(0.5);
        assertThat(all.threshold()).isEqualTo(0.5);
        // fakes 0.9 and 0.4 against reals 0.1 and 0.7: 3 of 4 pairs in order
        assertThat(all.auc()).isEqualTo(0.75);
        assertThat(all.averagePrecision()).isCloseTo((1.0 + 2 / 3.0) / 2, within(1e-12));
        assertThat(all.best().accuracy()).isEqualTo(0.75);
        assertThat(all.reliability()).hasSize(EvalMetrics.RELIABILITY_BINS);
    }

    @Test
    void aGeneratorsGroupHoldsItsFakesAndTheRealsOfItsDataSets() {
        images.real("a", 0.1);
        images.real("b", 0.2);
        images.fake("a", "gan", "stylegan", 0.9, "gan", "stylegan");
        images.fake("b", "diffusion", "sd-1.4", 0.8, "diffusion", "unknown");

        List<EvalMetrics.Group> groups = EvalMetrics.groups(images.list());

        assertThat(groups).extracting(g -> g.level() + " " + g.name()).containsExactly("all all", "dataset a",
                "dataset b", "family diffusion", "family gan", "generator sd-1.4", "generator stylegan");
        EvalMetrics.Group stylegan = groups.getLast();
        assertThat(stylegan.images()).isEqualTo(2);
        assertThat(stylegan.real()).isEqualTo(1);
        assertThat(stylegan.family()).isEqualTo("gan");
        EvalMetrics.Group sd = groups.get(5);
        assertThat(sd.unknownRate()).isEqualTo(1.0);
        assertThat(groups.getFirst().unknownRate()).isEqualTo(0.5);
    }

    @Test
    void uncertainRejectedAndMissingImagesAreCountedApart() {
        images.real("set", 0.1);
        images.add("set", Authenticity.FAKE, "gan", "stylegan", ScoredImages.verdict(FinalStatus.DECIDED,
                Authenticity.UNCERTAIN, null, null), ScoredImages.detection(0.52));
        images.add("set", Authenticity.FAKE, "gan", "stylegan", FinalVerdict.newBuilder(ScoredImages.verdict(
                FinalStatus.REJECTED, Authenticity.UNKNOWN, null, null)).setRejection(new Rejection(Stage.EMBEDDING,
                        RejectReason.CORRUPT, "truncated", false))
                .build(), null);
        images.add("set", Authenticity.REAL, null, null, null, null);

        EvalMetrics.Group all = EvalMetrics.groups(images.list()).getFirst();

        assertThat(all.images()).isEqualTo(4);
        assertThat(all.scored()).isEqualTo(2);
        assertThat(all.uncertainRate()).isEqualTo(0.25);
        assertThat(all.notDecided()).containsExactlyInAnyOrderEntriesOf(Map.of("EMBEDDING CORRUPT", 1, "NO_FINAL", 1));
        EvalMetrics.Confusion families = EvalMetrics.confusion(images.list(), Stage.FAMILY);
        assertThat(families.count("gan", "uncertain")).isEqualTo(1);
        assertThat(families.count("gan", "rejected")).isEqualTo(1);
        assertThat(families.count("real", "no final")).isEqualTo(1);
    }

    @Test
    void confusionMatricesPutTheTrueClassesFirstOnBothAxes() {
        images.real("set", 0.1);
        images.fake("set", "gan", "stylegan", 0.9, "gan", "stylegan");
        images.fake("set", "gan", "biggan", 0.9, "gan", "unknown");
        images.fake("set", "diffusion", "sd-1.4", 0.9, "gan", "stylegan");

        EvalMetrics.Confusion generators = EvalMetrics.confusion(images.list(), Stage.ATTRIBUTION);

        assertThat(generators.truth()).containsExactly("real", "biggan", "sd-1.4", "stylegan");
        assertThat(generators.predicted()).containsExactly("real", "biggan", "sd-1.4", "stylegan", "unknown");
        assertThat(generators.count("stylegan", "stylegan")).isEqualTo(1);
        assertThat(generators.count("sd-1.4", "stylegan")).isEqualTo(1);
        assertThat(generators.count("biggan", "unknown")).isEqualTo(1);
        assertThat(EvalMetrics.confusion(images.list(), Stage.FAMILY).count("diffusion", "gan")).isEqualTo(1);
    }

    @Test
    void percentilesAreNearestRank() {
        long[] latencies = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};

        assertThat(EvalMetrics.percentile(latencies, 50)).isEqualTo(50);
        assertThat(EvalMetrics.percentile(latencies, 90)).isEqualTo(90);
        assertThat(EvalMetrics.percentile(latencies, 99)).isEqualTo(100);
        assertThat(EvalMetrics.percentile(new long[0], 50)).isNaN();
    }
}
