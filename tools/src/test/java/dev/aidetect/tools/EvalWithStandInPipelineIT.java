package dev.aidetect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.aidetect.imaging.Jpegs;
import dev.aidetect.kafka.KafkaEndpoint;
import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.EmbeddingTimings;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.ImageContent;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.schemas.ImageSubmitted;
import dev.aidetect.schemas.ModelRef;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageVerdict;
import dev.aidetect.schemas.Topics;

/**
 * {@code aidetect eval} against a stand-in for the pipeline on the in-JVM broker: a thread that answers each image of
 * the test's run with a detection verdict (the FAKE probability the image's file name states) and, unless told not
 * to, a final verdict, as the classifier and the router would. What the command collects, how it scores it, and what
 * it says when finals do not come.
 */
class EvalWithStandInPipelineIT {
    @TempDir
    Path dir;

    private final String run = "eval-it-" + UUID.randomUUID().toString().substring(0, 8);
    private StandInPipeline pipeline;

    @AfterEach
    void stopThePipeline() throws InterruptedException {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void scoresTheStageAndFinalVerdictsOfAFolderAndEndsWithTheLine() throws Exception {
        // given four images whose names carry the score the stand-in detection gives them: one fake called real
        answering(true);
        Path images = folder("real/r1_0.1.jpg", "real/r2_0.2.jpg", "fake/gan/stylegan/f1_0.9.png",
                "fake/gan/stylegan/f2_0.15.png");
        Path out = dir.resolve("report");

        // when
        CliRun eval = CliRun.of("eval", "--dataset", images.toString(), "--bootstrap-servers",
                KafkaEndpoint.bootstrapServers(), "--run", run, "--out", out.toString(), "--timeout", "PT20S");

        // then
        assertThat(eval.exit()).as(eval.err()).isZero();
        assertThat(eval.out().strip().lines().toList().getLast()).isEqualTo("eval: 4 images, acc=0.7500, "
                + "ap=0.8333, auc=0.7500, report=" + out.resolve("report.html"));
        assertThat(eval.err()).contains("[3/4] evaluating as run " + run, "final verdicts 4/4");
        JsonNode report = new ObjectMapper().readTree(out.resolve("eval.json").toFile());
        assertThat(report.at("/run/mode").asText()).isEqualTo("streaming");
        assertThat(report.at("/groups/0/fakeAccuracy").asDouble()).isEqualTo(0.5);
        assertThat(report.at("/run/models/stand-in-head").asText()).isEqualTo("1");
        assertThat(report.at("/images")).allSatisfy(image -> {
            assertThat(image.get("imageId").asText()).startsWith(run + "-");
            assertThat(image.get("detection").asText()).isIn("REAL", "FAKE");
        });
    }

    @Test
    void stopsWhenNoFinalComesAndSaysHowFarEachImageGot() throws Exception {
        // given a pipeline whose router never answers: detection verdicts come, finals do not
        answering(false);
        Path images = folder("real/r1_0.1.jpg", "fake/gan/stylegan/f1_0.9.png");

        CliRun eval = CliRun.of("eval", "--dataset", images.toString(), "--bootstrap-servers",
                KafkaEndpoint.bootstrapServers(), "--run", run, "--out", dir.resolve("report").toString(),
                "--timeout", "PT3S");

        assertThat(eval.exit()).isEqualTo(1);
        assertThat(eval.err()).contains("no final verdict came for 3 s (--timeout): 2 images have no final verdict: "
                + "2 with verdicts [DETECTION]; e.g. " + run + "-");
        assertThat(eval.out()).contains("2 NO_FINAL").contains("eval: 2 images, acc=1.0000");
    }

    @Test
    void replaysALabelledTopicAsARunOfItsOwn() throws Exception {
        answering(true);
        String topic = "eval-it-recorded-" + UUID.randomUUID();
        List<ImageSubmitted> recorded = List.of(recorded("a", Authenticity.REAL, 0.2),
                recorded("b", Authenticity.FAKE, 0.8), recorded("c", Authenticity.FAKE, 0.7));
        TestTopics.fill(topic, 2, Topics.INGEST, recorded, ImageSubmitted::getImageId);

        CliRun eval = CliRun.of("eval", "--from-topic", topic, "--bootstrap-servers", KafkaEndpoint.bootstrapServers(),
                "--run", run, "--out", dir.resolve("report").toString(), "--timeout", "PT20S");

        assertThat(eval.exit()).as(eval.err()).isZero();
        assertThat(eval.out().strip().lines().toList().getLast()).startsWith("eval: 3 images, acc=1.0000, "
                + "ap=1.0000, auc=1.0000");
    }

    @Test
    void sweepsRunEachPointAsARunOfItsOwnOnTheTransformedImages() throws Exception {
        // given 16 x 16 JPEGs, and a stand-in whose detection turns its scores around for any image of another size
        pipeline = StandInPipeline.start(submitted -> submitted.getAttributes().get("run").startsWith(run),
                (submitted, answers) -> {
                    StageVerdict named = detection(submitted);
                    double score = width(submitted) == 16 ? named.getScore() : 1 - named.getScore();
                    StageVerdict detection = StageVerdict.newBuilder(named).setScore(score)
                            .setDecision(score >= 0.5 ? "FAKE" : "REAL").build();
                    answers.send(Topics.DETECTION_VERDICTS, submitted.getImageId(), detection);
                    answers.send(Topics.FINAL, submitted.getImageId(), decided(submitted, detection));
                });
        Path images = folder("real/r1_0.1.jpg", "real/r2_0.2.jpg", "fake/gan/stylegan/f1_0.9.jpg",
                "fake/gan/stylegan/f2_0.15.jpg");
        for (Path file : List.of(images.resolve("real/r1_0.1.jpg"), images.resolve("real/r2_0.2.jpg"),
                images.resolve("fake/gan/stylegan/f1_0.9.jpg"), images.resolve("fake/gan/stylegan/f2_0.15.jpg"))) {
            Files.write(file, Jpegs.encode(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB), 0.9f));
        }
        Path out = dir.resolve("report");

        // when
        CliRun eval = CliRun.of("eval", "--dataset", images.toString(), "--bootstrap-servers",
                KafkaEndpoint.bootstrapServers(), "--run", run, "--out", out.toString(), "--timeout", "PT20S",
                "--sweep", "scale=1,0.5");

        // then the identity point scores as the run did, the halved images as the turned-around scores do
        assertThat(eval.exit()).as(eval.err()).isZero();
        assertThat(eval.err()).contains("sweep 1/2: scale=1 as run " + run + "-scale1",
                "sweep scale=1: 4 images, acc=0.7500, ap=0.8333", "sweep 2/2: scale=0.5 as run " + run + "-scale0.5",
                "sweep scale=0.5: 4 images, acc=0.2500");
        JsonNode report = new ObjectMapper().readTree(out.resolve("eval.json").toFile());
        assertThat(report.at("/sweeps")).hasSize(2);
        assertThat(report.at("/sweeps/1/run").asText()).isEqualTo(run + "-scale0.5");
        assertThat(report.at("/sweeps/1/groups/0/accuracy").asDouble()).isEqualTo(0.25);
        assertThat(Files.readAllLines(out.resolve("sweeps.csv"))).anySatisfy(line -> assertThat(line).startsWith(
                "scale,0.5," + run + "-scale0.5,all,all,4,4,0.25,"));
        assertThat(out.resolve("report.html")).content().contains("<title>Robustness to scale</title>");
    }

    @Test
    void mapsTheRunsEmbeddingsReadFromImagesEmbedded() throws Exception {
        // given 120 images, and a stand-in embedder whose vectors put the fakes in a cloud of their own
        pipeline = StandInPipeline.start(submitted -> run.equals(submitted.getAttributes().get("run")),
                (submitted, answers) -> {
                    boolean fake = submitted.getLabel().getAuthenticity() == Authenticity.FAKE;
                    List<Float> vector = new ArrayList<>();
                    Random random = new Random(submitted.getImageId().hashCode());
                    for (int d = 0; d < 8; d++) {
                        vector.add((float) ((fake ? 10 : 0) + random.nextGaussian()));
                    }
                    answers.send(Topics.EMBEDDED, submitted.getImageId(), ImageEmbedding.newBuilder()
                            .setImageId(submitted.getImageId()).setEncodedBy(new ModelRef("stand-in-encoder", "1"))
                            .setVector(vector).setWidth(1).setHeight(1).setSubmittedAt(submitted.getSubmittedAt())
                            .setEmbeddedAt(Instant.now()).setTimings(new EmbeddingTimings(0L, 0L, 0L, 0L, 1))
                            .setLabel(submitted.getLabel()).build());
                    StageVerdict detection = detection(submitted);
                    answers.send(Topics.DETECTION_VERDICTS, submitted.getImageId(), detection);
                    answers.send(Topics.FINAL, submitted.getImageId(), decided(submitted, detection));
                });
        List<String> files = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            files.add("real/r" + i + "_0.2.jpg");
            files.add("fake/gan/stylegan/f" + i + "_0.8.jpg");
        }
        Path images = folder(files.toArray(String[]::new));
        Path out = dir.resolve("report");

        // when
        CliRun eval = CliRun.of("eval", "--dataset", images.toString(), "--bootstrap-servers",
                KafkaEndpoint.bootstrapServers(), "--run", run, "--out", out.toString(), "--timeout", "PT20S");

        // then every vector is on the map, in two clouds
        assertThat(eval.exit()).as(eval.err()).isZero();
        assertThat(eval.err()).contains("embedding map: t-SNE of 120 vectors");
        JsonNode report = new ObjectMapper().readTree(out.resolve("eval.json").toFile());
        assertThat(report.at("/embeddingMap/sampled").asInt()).isEqualTo(120);
        assertThat(report.at("/embeddingMap/points")).hasSize(120);
        assertThat(report.at("/embeddingMap/points")).extracting(p -> p.get("generator").asText()).containsOnly(
                "real", "stylegan");
        assertThat(out.resolve("report.html")).content().contains("<title>Embeddings by generator (t-SNE)</title>");
    }

    private static int width(ImageSubmitted submitted) {
        ByteBuffer content = submitted.getImage().getContent().duplicate();
        byte[] bytes = new byte[content.remaining()];
        content.get(bytes);
        try {
            return ImageIO.read(new ByteArrayInputStream(bytes)).getWidth();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path folder(String... files) throws Exception {
        for (String file : files) {
            Path path = dir.resolve("images").resolve(file);
            Files.createDirectories(path.getParent());
            Files.write(path, new byte[]{1, 2, 3});
        }
        return dir.resolve("images");
    }

    private static ImageSubmitted recorded(String id, Authenticity truth, double score) {
        return ImageSubmitted.newBuilder().setImageId(id + "_" + score + ".jpg").setSubmittedAt(Instant.now())
                .setSource("platform").setImage(ImageContent.newBuilder().setContent(ByteBuffer.wrap(new byte[]{1}))
                        .build())
                .setLabel(new ImageLabel(truth, truth == Authenticity.FAKE ? "gan" : null,
                        truth == Authenticity.FAKE ? "stylegan" : null, "recorded"))
                .build();
    }

    /**
     * Starts the stand-in: for each image of this run it writes a detection verdict whose score is the number at the
     * end of the image's original name, and (when {@code finals}) a DECIDED final verdict with that verdict on its
     * path.
     */
    private void answering(boolean finals) throws InterruptedException {
        pipeline = StandInPipeline.start(submitted -> run.equals(submitted.getAttributes().get("run")),
                (submitted, answers) -> {
                    StageVerdict detection = detection(submitted);
                    answers.send(Topics.DETECTION_VERDICTS, submitted.getImageId(), detection);
                    if (finals) {
                        answers.send(Topics.FINAL, submitted.getImageId(), decided(submitted, detection));
                    }
                });
    }

    private static StageVerdict detection(ImageSubmitted submitted) {
        String original = submitted.getAttributes().get("original-image-id");
        String stem = original.contains(".") ? original.substring(0, original.lastIndexOf('.')) : original;
        double score = Double.parseDouble(stem.substring(stem.lastIndexOf('_') + 1));
        String decision = score >= 0.5 ? "FAKE" : "REAL";
        return StageVerdict.newBuilder().setImageId(submitted.getImageId()).setStage(Stage.DETECTION)
                .setDecision(decision).setScore(score).setScores(Map.of("FAKE", score, "REAL", 1 - score))
                .setThreshold(0.5).setModel(new ModelRef("stand-in-head", "1")).setDecidedAt(Instant.now()).build();
    }

    private static FinalVerdict decided(ImageSubmitted submitted, StageVerdict detection) {
        return FinalVerdict.newBuilder().setImageId(submitted.getImageId()).setStatus(FinalStatus.DECIDED)
                .setAuthenticity(Authenticity.valueOf(detection.getDecision())).setScore(detection.getScore())
                .setPath(List.of(detection)).setSubmittedAt(submitted.getSubmittedAt()).setFinalizedAt(Instant.now())
                .setLatencyMillis(5).setSource(submitted.getSource()).setLabel(submitted.getLabel()).build();
    }
}
