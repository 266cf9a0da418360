package dev.aidetect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageSubmissions;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;
import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.samples.BrokenSample;
import dev.aidetect.tools.stack.LocalStack;
import dev.aidetect.tools.submit.Submitter;
import dev.aidetect.tools.submit.VerdictReport;

/**
 * The whole pipeline, every service its own process (the packaged Quarkus applications), on a real broker: 200 real
 * and generated images, a photo of phone size, the broken files and a record that is not Avro at all. Every submitted
 * image must end in exactly one final verdict, read as a {@code read_committed} consumer, with the right status and
 * reason.
 */
@ExtendWith(RunningPipeline.Provider.class)
class PipelineEndToEndIT {
    private static LocalStack stack;
    private static Path samples;

    @BeforeAll
    static void usePipeline(RunningPipeline pipeline) {
        stack = pipeline.stack();
        samples = pipeline.samples();
    }

    @TempDir
    Path dir;

    @Test
    void everySubmittedImageEndsInExactlyOneFinalVerdictWithTheRightStatusAndReason() throws Exception {
        List<LabelledImage> images = new ArrayList<>(LabelledImage.collect(List.of(samples)));
        assertThat(images).hasSizeGreaterThanOrEqualTo(200);
        images.addAll(LabelledImage.collect(List.of(phonePhoto(dir))));

        Map<String, List<FinalVerdict>> verdicts;
        Map<String, LabelledImage> sent;
        String garbageId = ImageSubmissions.newImageId("not-avro");
        try (Submitter submitter = new Submitter(stack.bootstrapServers(), "e2e-test")) {
            Submitter.Submission submission = submitter.submit(images);
            assertThat(submission.refused()).as("images the broker refused").isEmpty();
            sent = new LinkedHashMap<>(submission.sent());
            RawIngest.send(stack.bootstrapServers(), garbageId, "{\"imageId\": \"this is JSON, not Avro\"}".getBytes());
            List<String> ids = new ArrayList<>(sent.keySet());
            ids.add(garbageId);
            verdicts = submitter.await(ids, Duration.ofMinutes(4), Duration.ofSeconds(5), v -> {
            });
        }

        new VerdictReport(new PrintWriter(System.out, true)).summary(verdicts);
        FinalVerdicts.assertExactlyOneEach(verdicts.keySet(), verdicts);

        assertThat(verdicts.get(garbageId).getFirst()).satisfies(v -> {
            assertThat(v.getStatus()).isEqualTo(FinalStatus.REJECTED);
            assertThat(v.getRejection().getReason()).isEqualTo(RejectReason.BAD_RECORD);
        });
        for (var entry : sent.entrySet()) {
            FinalVerdict verdict = verdicts.get(entry.getKey()).getFirst();
            Path file = entry.getValue().file();
            BrokenSample broken = brokenSample(file);
            if (broken != null) {
                assertThat(verdict.getStatus()).as(file.toString()).isEqualTo(FinalStatus.REJECTED);
                assertThat(verdict.getRejection().getReason()).as(file.toString()).isEqualTo(broken.expectedReason());
                assertThat(verdict.getRejection().getMessage()).isNotBlank();
            } else {
                assertDecidedAlongTheHierarchy(verdict, file);
            }
        }
    }

    private static void assertDecidedAlongTheHierarchy(FinalVerdict verdict, Path file) {
        assertThat(verdict.getStatus()).as(file.toString()).isEqualTo(FinalStatus.DECIDED);
        assertThat(verdict.getLabel()).as("label passes through").isNotNull();
        assertThat(verdict.getLatencyMillis()).isGreaterThanOrEqualTo(0);
        List<Stage> path = verdict.getPath().stream().map(s -> s.getStage()).toList();
        if (verdict.getAuthenticity() == Authenticity.REAL || verdict.getAuthenticity() == Authenticity.UNCERTAIN) {
            // UNCERTAIN: the detection score fell within the router's band around its threshold; it stops there too
            assertThat(path).containsExactly(Stage.DETECTION);
            assertThat(verdict.getFamily()).isNull();
            assertThat(verdict.getGenerator()).isNull();
        } else {
            assertThat(verdict.getAuthenticity()).isEqualTo(Authenticity.FAKE);
            assertThat(path).containsExactly(Stage.DETECTION, Stage.FAMILY, Stage.ATTRIBUTION);
            assertThat(verdict.getFamily()).isIn("gan", "diffusion");
            assertThat(verdict.getGenerator()).isNotBlank();
        }
    }

    /**
     * A photo the size a phone uploads (3000 x 2000 JPEG, over 3 MiB): more than Kafka's default 1 MiB record limit,
     * which images.ingest is created above. Noise, so the encoder still sees a 224 px image after resizing. Written
     * under {@code real/} in {@code dir}, which is returned.
     */
    private static Path phonePhoto(Path dir) throws IOException {
        BufferedImage image = new BufferedImage(3000, 2000, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(7);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        Path file = Files.createDirectories(dir.resolve("real")).resolve("phone-photo.jpg");
        ImageIO.write(image, "jpg", file.toFile());
        assertThat(Files.size(file)).as("phone photo size").isGreaterThan(3L << 20);
        return dir;
    }

    private static BrokenSample brokenSample(Path file) {
        for (BrokenSample sample : BrokenSample.values()) {
            if (file.getFileName().toString().equals(sample.fileName()) && file.getParent().endsWith("broken")) {
                return sample;
            }
        }
        return null;
    }
}
