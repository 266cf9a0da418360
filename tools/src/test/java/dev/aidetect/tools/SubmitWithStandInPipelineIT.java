package dev.aidetect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.kafka.KafkaEndpoint;
import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.Topics;

/**
 * {@code aidetect submit} against a stand-in for the pipeline: a thread that answers each submission of this test on
 * {@code verdicts.final} as the router would. Exit 0 only when every image got exactly one final verdict, which is what
 * the demo's pass or fail rests on.
 */
class SubmitWithStandInPipelineIT {
    @TempDir
    Path dir;

    private final String source = "submit-it-" + UUID.randomUUID();
    private StandInPipeline pipeline;

    @AfterEach
    void stopThePipeline() throws InterruptedException {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void exitsZeroWhenEveryImageGetsOneVerdictAndPrintsTheRowsAndTheScore() throws Exception {
        // given: a pipeline that answers each image once, rightly, with the label it was sent
        answering(1);
        Path images = labelledFolder();

        // when
        CliRun run = submit(images);

        // then
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("2 submitted, 2 final verdicts (2 decided, 0 rejected, 0 timed out)",
                "labelled and decided: real/fake right 2/2; of fakes called fake: family right 1/1, "
                        + "generator right 1/1")
                .doesNotContain("INVARIANT");
        assertThat(run.out()).containsPattern("(?m)^real-0000-[0-9a-f]{8} +DECIDED +REAL .*truth: REAL$");
        assertThat(run.out()).containsPattern(
                "(?m)^upconv-gan-0000-[0-9a-f]{8} +DECIDED +FAKE +gan +upconv-gan .*truth: FAKE gan/upconv-gan$");
        assertThat(run.err()).contains("submitted 2 images to " + KafkaEndpoint.bootstrapServers());
    }

    @Test
    void exitsOneWhenAnImageGetsTwoFinalVerdicts() throws Exception {
        answering(2);

        CliRun run = submit(labelledFolder());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("2 submitted, 4 final verdicts",
                "INVARIANT BROKEN: 0 image(s) without a final verdict, 2 with more than one");
    }

    @Test
    void exitsOneWhenNoVerdictComesBeforeTheTimeout() throws Exception {
        answering(0);

        CliRun run = submit(labelledFolder());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("2 submitted, 0 final verdicts",
                "INVARIANT BROKEN: 2 image(s) without a final verdict, 0 with more than one");
    }

    private CliRun submit(Path images) {
        return CliRun.of("submit", images.toString(), "--bootstrap-servers", KafkaEndpoint.bootstrapServers(),
                "--source", source, "--timeout", "PT4S");
    }

    private Path labelledFolder() throws Exception {
        Path real = Files.createDirectories(dir.resolve("images/real"));
        Path gan = Files.createDirectories(dir.resolve("images/fake/gan/upconv-gan"));
        Files.write(real.resolve("real-0000.jpg"), new byte[]{1, 2, 3});
        Files.write(gan.resolve("upconv-gan-0000.png"), new byte[]{4, 5, 6});
        return dir.resolve("images");
    }

    /** Starts the stand-in: it answers each submission of this test's source {@code times} times, as its label says. */
    private void answering(int times) throws InterruptedException {
        pipeline = StandInPipeline.start(submitted -> source.equals(submitted.getSource()), (submitted, answers) -> {
            for (int i = 0; i < times; i++) {
                answers.send(Topics.FINAL, submitted.getImageId(), decided(submitted));
            }
        });
    }

    private static FinalVerdict decided(ImageSubmitted submitted) {
        ImageLabel label = submitted.getLabel();
        return FinalVerdict.newBuilder().setImageId(submitted.getImageId()).setStatus(FinalStatus.DECIDED)
                .setAuthenticity(label == null ? Authenticity.UNKNOWN : label.getAuthenticity())
                .setFamily(label == null ? null : label.getFamily())
                .setGenerator(label == null ? null : label.getGenerator()).setScore(0.9)
                .setSubmittedAt(submitted.getSubmittedAt()).setFinalizedAt(Instant.now()).setLatencyMillis(5)
                .setSource(submitted.getSource()).setLabel(label).build();
    }
}
