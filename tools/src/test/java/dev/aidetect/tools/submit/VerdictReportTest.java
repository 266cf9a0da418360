package dev.aidetect.tools.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Rejections;
import dev.aidetect.schemas.Stage;

/**
 * What {@code aidetect submit} and the demo print after the verdicts: the counts, whether every image got exactly one
 * final verdict (the demo's exit code), and how many labelled images each level got right.
 */
class VerdictReportTest {
    private final StringWriter printed = new StringWriter();
    private final VerdictReport report = new VerdictReport(new PrintWriter(printed, true));
    private final Map<String, List<FinalVerdict>> verdicts = new LinkedHashMap<>();

    @Test
    void holdsWhenEveryImageHasExactlyOneFinalVerdictAndCountsThemByStatus() {
        // given
        seen("a", decided("a", Authenticity.REAL, null, null, null));
        seen("b", rejected("b", RejectReason.CORRUPT, "truncated JPEG"));
        seen("c", timedOut("c", Stage.FAMILY));

        // when
        boolean held = report.summary(verdicts);

        // then
        assertThat(held).isTrue();
        assertThat(printed.toString()).contains(
                "3 submitted, 3 final verdicts (1 decided, 1 rejected, 1 timed out)").doesNotContain("INVARIANT");
    }

    @Test
    void anImageWithoutAFinalVerdictBreaksTheInvariant() {
        seen("a", decided("a", Authenticity.FAKE, null, null, null));
        seen("b");

        boolean held = report.summary(verdicts);

        assertThat(held).isFalse();
        assertThat(printed.toString()).contains("2 submitted, 1 final verdicts (1 decided, 0 rejected, 0 timed out)",
                "INVARIANT BROKEN: 1 image(s) without a final verdict, 0 with more than one");
    }

    @Test
    void anImageWithTwoFinalVerdictsBreaksTheInvariantAndBothAreCounted() {
        seen("a", decided("a", Authenticity.FAKE, null, null, null), timedOut("a", Stage.ATTRIBUTION));
        seen("b", decided("b", Authenticity.REAL, null, null, null));

        boolean held = report.summary(verdicts);

        assertThat(held).isFalse();
        assertThat(printed.toString()).contains("2 submitted, 3 final verdicts (2 decided, 0 rejected, 1 timed out)",
                "INVARIANT BROKEN: 0 image(s) without a final verdict, 1 with more than one");
    }

    @Test
    void missingAndDuplicatedImagesAreCountedSeparately() {
        seen("missing-1");
        seen("missing-2");
        seen("twice", rejected("twice", RejectReason.NOT_AN_IMAGE, "html"),
                rejected("twice", RejectReason.NOT_AN_IMAGE, "html"));
        seen("thrice", timedOut("thrice", Stage.DETECTION), timedOut("thrice", Stage.DETECTION),
                timedOut("thrice", Stage.DETECTION));

        assertThat(report.summary(verdicts)).isFalse();
        assertThat(printed.toString()).contains("4 submitted, 5 final verdicts (0 decided, 2 rejected, 3 timed out)",
                "2 image(s) without a final verdict, 2 with more than one");
    }

    @Test
    void nothingSubmittedHoldsTrivially() {
        assertThat(report.summary(verdicts)).isTrue();
        assertThat(printed.toString()).isEqualTo(
                "0 submitted, 0 final verdicts (0 decided, 0 rejected, 0 timed out)" + System.lineSeparator());
    }

    @Test
    void countsRightAnswersPerLevelAndAsksFamilyAndGeneratorOnlyOfFakesCalledFake() {
        // given: truth -> answer
        seen("real-right", decided("real-right", Authenticity.REAL, null, null, real()));
        seen("all-right", decided("all-right", Authenticity.FAKE, "gan", "upconv-gan", fake("gan", "upconv-gan")));
        seen("family-wrong", decided("family-wrong", Authenticity.FAKE, "diffusion", "latent-diffusion",
                fake("gan", "upconv-gan")));
        seen("generator-wrong", decided("generator-wrong", Authenticity.FAKE, "gan", "upconv-gan",
                fake("gan", "pixelshuffle-gan")));
        seen("fake-called-real", decided("fake-called-real", Authenticity.REAL, null, null,
                fake("diffusion", "latent-diffusion")));

        // when
        report.summary(verdicts);

        // then
        assertThat(printed.toString()).contains("labelled and decided: real/fake right 4/5; of fakes called fake: "
                + "family right 2/3, generator right 1/3");
    }

    @Test
    void uncertainImagesAreNeitherRightNorWrongAndAreCountedApartByTheirTruth() {
        // given: two right answers, and three images the detector was not sure about
        seen("real-right", decided("real-right", Authenticity.REAL, null, null, real()));
        seen("fake-right", decided("fake-right", Authenticity.FAKE, "gan", "upconv-gan", fake("gan", "upconv-gan")));
        seen("real-unsure", decided("real-unsure", Authenticity.UNCERTAIN, null, null, real()));
        seen("fake-unsure-1", decided("fake-unsure-1", Authenticity.UNCERTAIN, null, null, fake("gan", "upconv-gan")));
        seen("fake-unsure-2", decided("fake-unsure-2", Authenticity.UNCERTAIN, null, null,
                fake("diffusion", "latent-diffusion")));

        // when
        report.summary(verdicts);

        // then
        assertThat(printed.toString()).contains("5 submitted, 5 final verdicts (5 decided, 0 rejected, 0 timed out)",
                "labelled and decided: real/fake right 2/2, 3 uncertain (neither right nor wrong; truth: 1 REAL,"
                        + " 2 FAKE); of fakes called fake: family right 1/1, generator right 1/1");
    }

    @Test
    void uncertainRowShowsTheWordInTheAuthenticityColumn() {
        FinalVerdict verdict = decided("img-3", Authenticity.UNCERTAIN, null, null, real());
        verdict.setScore(0.52);

        report.row(verdict);

        assertThat(printed.toString().strip().split("\\s+")).containsExactly("img-3", "DECIDED", "UNCERTAIN", "-",
                "-", "0.520", "-", "truth:", "REAL");
    }

    @Test
    void aRealImageCalledFakeIsWrongAndAddsNoFake() {
        seen("a", decided("a", Authenticity.FAKE, "gan", "upconv-gan", real()));

        report.summary(verdicts);

        assertThat(printed.toString()).contains("real/fake right 0/1; of fakes called fake: family right 0/0, "
                + "generator right 0/0");
    }

    @Test
    void accuracyLeavesOutUnlabelledRejectedTimedOutDuplicatedAndMissingImages() {
        seen("labelled", decided("labelled", Authenticity.FAKE, "gan", "upconv-gan", fake("gan", "upconv-gan")));
        seen("unlabelled", decided("unlabelled", Authenticity.FAKE, "gan", "upconv-gan", null));
        seen("rejected", withLabel(rejected("rejected", RejectReason.CORRUPT, "x"), real()));
        seen("timed-out", withLabel(timedOut("timed-out", Stage.FAMILY), real()));
        seen("twice", decided("twice", Authenticity.REAL, null, null, real()),
                decided("twice", Authenticity.REAL, null, null, real()));
        seen("missing");

        report.summary(verdicts);

        assertThat(printed.toString()).contains("real/fake right 1/1; of fakes called fake: family right 1/1, "
                + "generator right 1/1");
    }

    @Test
    void printsNoAccuracyLineWhenNoDecidedImageCarriesALabel() {
        seen("a", decided("a", Authenticity.REAL, null, null, null));
        seen("b", withLabel(rejected("b", RejectReason.CORRUPT, "x"), real()));

        report.summary(verdicts);

        assertThat(printed.toString()).doesNotContain("labelled and decided");
    }

    @Test
    void headerNamesEveryColumn() {
        report.header();

        assertThat(printed.toString()).containsSubsequence("IMAGE", "STATUS", "AUTH", "FAMILY", "GENERATOR", "SCORE",
                "LATENCY", "DETAIL");
    }

    @Test
    void decidedRowShowsTheAnswerScoreLatencyAndTheTruth() {
        FinalVerdict verdict = decided("img-1", Authenticity.FAKE, "gan", "upconv-gan", fake("gan", "upconv-gan"));
        verdict.setScore(0.97345);
        verdict.setLatencyMillis(412);

        report.row(verdict);

        assertThat(printed.toString()).containsSubsequence("img-1", "DECIDED", "FAKE", "gan", "upconv-gan", "0.973",
                "412 ms", "truth: FAKE gan/upconv-gan");
    }

    @Test
    void rowOfAnImageNotYetSeenOrNotScoredShowsDashes() {
        FinalVerdict verdict = decided("img-2", Authenticity.REAL, null, null, real());

        report.row(verdict);

        String row = printed.toString().strip();
        assertThat(row.split("\\s+")).containsExactly("img-2", "DECIDED", "REAL", "-", "-", "-", "-", "truth:",
                "REAL");
    }

    @Test
    void rejectedRowSaysWhyAndTimedOutRowSaysWhichStageDidNotAnswer() {
        report.row(rejected("bad", RejectReason.TOO_MANY_PIXELS, "100000x100000 is more than 40 megapixels"));
        report.row(timedOut("slow", Stage.ATTRIBUTION));
        FinalVerdict noRejection = rejected("bare", RejectReason.OTHER, "");
        noRejection.setRejection(null);
        report.row(noRejection);

        List<String> rows = printed.toString().lines().toList();
        assertThat(rows.get(0)).endsWith("TOO_MANY_PIXELS: 100000x100000 is more than 40 megapixels");
        assertThat(rows.get(1)).endsWith("no answer from ATTRIBUTION");
        assertThat(rows.get(2)).containsSubsequence("bare", "REJECTED").doesNotContain("null");
    }

    @Test
    void longDetailIsCutToSeventyCharacters() {
        String message = "x".repeat(200);

        report.row(rejected("long", RejectReason.CORRUPT, message));

        String detail = printed.toString().strip().substring(printed.toString().indexOf("CORRUPT:"));
        assertThat(detail).hasSize(70).startsWith("CORRUPT: xxx").endsWith("xx...");
    }

    private void seen(String id, FinalVerdict... finals) {
        verdicts.put(id, new ArrayList<>(List.of(finals)));
    }

    private static FinalVerdict decided(String id, Authenticity answer, String family, String generator,
            ImageLabel truth) {
        return FinalVerdict.newBuilder().setImageId(id).setStatus(FinalStatus.DECIDED).setAuthenticity(answer)
                .setFamily(family).setGenerator(generator).setFinalizedAt(Instant.EPOCH).setLabel(truth).build();
    }

    private static FinalVerdict rejected(String id, RejectReason reason, String message) {
        return FinalVerdict.newBuilder().setImageId(id).setStatus(FinalStatus.REJECTED)
                .setRejection(Rejections.rejection(Stage.EMBEDDING, reason, message)).setFinalizedAt(Instant.EPOCH)
                .build();
    }

    private static FinalVerdict timedOut(String id, Stage waitingFor) {
        return FinalVerdict.newBuilder().setImageId(id).setStatus(FinalStatus.TIMED_OUT).setWaitingFor(waitingFor)
                .setFinalizedAt(Instant.EPOCH).build();
    }

    private static FinalVerdict withLabel(FinalVerdict verdict, ImageLabel label) {
        verdict.setLabel(label);
        return verdict;
    }

    private static ImageLabel real() {
        return new ImageLabel(Authenticity.REAL, null, null, "test");
    }

    private static ImageLabel fake(String family, String generator) {
        return new ImageLabel(Authenticity.FAKE, family, generator, "test");
    }
}
