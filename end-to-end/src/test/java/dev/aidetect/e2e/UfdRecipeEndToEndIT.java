package dev.aidetect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.aidetect.common.MoreFiles;
import dev.aidetect.heads.UfdProbe;
import dev.aidetect.imaging.encoder.EncoderManifest;
import dev.aidetect.schemas.FinalStatus;
import dev.aidetect.schemas.FinalVerdict;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Stage;
import dev.aidetect.schemas.StageVerdict;
import dev.aidetect.testing.Prerequisites;
import dev.aidetect.tools.cli.ExitCodes;
import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.samples.SampleSetWriter;
import dev.aidetect.tools.samples.SyntheticGenerator;
import dev.aidetect.tools.stack.LocalStack;
import dev.aidetect.tools.stack.ModelOptions;
import dev.aidetect.tools.stack.StackService;
import dev.aidetect.tools.submit.Submitter;
import dev.aidetect.tools.submit.VerdictReport;
import dev.aidetect.tools.train.DemoModels;
import dev.aidetect.tools.train.ModelTraining;
import dev.aidetect.tools.train.TrainCommand;

import picocli.CommandLine;

/**
 * The README's UniversalFakeDetect recipe end to end, with a random-weight encoder in place of CLIP ViT-L/14 (no weights
 * can be downloaded here): {@code make_encoder.py} writes a ViT-L/14 of the real input and output contract (224 px,
 * patch 14, 768 dims, UniversalFakeDetect's crop; one narrow layer, so it is small and fast) under the id
 * {@code export_clip.py} gives the real one ({@link UfdProbe#ENCODER_ID}, held to the script by ExportIdsTest);
 * {@code train ufd-probe} imports the published probe as the detection head; a stack of its own (its own broker, so
 * the shared pipeline's services cannot take these images) serves them. The classifier needs a family head on the same
 * encoder for the images the probe calls fake: {@code train heads}' training on this encoder's vectors of the demo's
 * synthetic images; the attribution networks, on pixels, are the demo's shared with the other end-to-end tests. Then: the
 * classifier's readiness names the probe, every image gets exactly one final verdict, DECIDED, with the probe's
 * detection on its path, and none is refused as ENCODER_MISMATCH.
 */
class UfdRecipeEndToEndIT {
    private static final Path ROOT = Path.of(System.getProperty("aidetect.project.root", "..")).toAbsolutePath();
    private static final Path PTH = ROOT.resolve("../shared/models/ufd-linear-probe/fc_weights.pth").normalize();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theProbeServesVerdictsOnTheExportsEncoderId() throws Exception {
        Prerequisites.require(DebianPython.canImport("torch"), "a /usr/bin/python3 with torch (Debian's python3-torch)",
                "apt-get install python3-torch");
        Prerequisites.require(Files.isRegularFile(PTH), "UniversalFakeDetect's probe " + PTH,
                "place fc_weights.pth at ../shared/models/ufd-linear-probe/ beside the project");
        Path work = ROOT.resolve("end-to-end/target/ufd-recipe-it");
        PrintWriter log = new PrintWriter(System.out, true);

        // given a random-weight ViT-L/14 under the export's id, the probe, and family/attribution models on its vectors
        Path encoder = makeEncoder(work.resolve("encoder"));
        assertThat(EncoderManifest.read(encoder).id()).isEqualTo(UfdProbe.ENCODER_ID);
        Path probe = trainUfdProbe(work.resolve("ufd-probe.head"));
        // The pixel networks do not depend on the encoder: the end-to-end tests' shared demo models (trained once).
        DemoModels networks = DemoModels.prepare(ROOT, ROOT.resolve("end-to-end/target/e2e"), log);
        Path training = work.resolve("train");
        MoreFiles.deleteRecursively(training);
        SampleSetWriter.write(training, List.of(SyntheticGenerator.values()), 12, 224, 5, false, n -> {
        });
        ModelTraining.Heads heads = new ModelTraining(log).trainHeads(encoder,
                LabelledImage.collect(List.of(training)), work.resolve("heads"), n -> {
                });
        Map<StackService, Map<String, String>> env = new EnumMap<>(StackService.class);
        networks.serviceEnv(Duration.ofSeconds(90)).forEach((service, vars) -> env.put(service, new HashMap<>(vars)));
        env.put(StackService.EMBEDDER, Map.of(ModelOptions.ENCODER, encoder.toString()));
        env.get(StackService.CLASSIFIER).put(ModelOptions.DETECTION_HEAD, probe.toString());
        env.get(StackService.CLASSIFIER).put(ModelOptions.FAMILY_HEAD, heads.family().toString());
        Path images = work.resolve("images");
        SampleSetWriter.write(images, List.of(SyntheticGenerator.values()), 3, 224, 11, false, n -> {
        });

        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(ROOT, work.resolve("stack"), null, 0, 3, env),
                log)) {
            // when
            String ready = get("http://localhost:" + stack.port(StackService.CLASSIFIER) + "/q/health/ready");
            Map<String, List<FinalVerdict>> verdicts;
            try (Submitter submitter = new Submitter(stack.bootstrapServers(), "ufd-recipe-it")) {
                Submitter.Submission submission = submitter.submit(LabelledImage.collect(List.of(images)));
                assertThat(submission.refused()).as("images the broker refused").isEmpty();
                verdicts = submitter.await(submission.sent().keySet(), Duration.ofMinutes(4), Duration.ofSeconds(3),
                        v -> {
                        });
                FinalVerdicts.assertExactlyOneEach(submission.sent().keySet(), verdicts);
            }
            new VerdictReport(log).summary(verdicts);

            // then
            assertThat(new ObjectMapper().readTree(ready).path("status").asText()).as("classifier readiness: %s",
                    ready).isEqualTo("UP");
            assertThat(ready).as("classifier readiness").contains(UfdProbe.ID + " version ").contains(probe.toString());
            assertThat(verdicts).hasSize(SyntheticGenerator.values().length * 3);
            for (List<FinalVerdict> each : verdicts.values()) {
                FinalVerdict verdict = each.getFirst();
                assertThat(verdict.getRejection() == null ? null : verdict.getRejection().getReason())
                        .as("rejection of %s", verdict.getImageId()).isNotEqualTo(RejectReason.ENCODER_MISMATCH);
                assertThat(verdict.getStatus()).as("%s: %s", verdict.getImageId(), verdict.getRejection())
                        .isEqualTo(FinalStatus.DECIDED);
                StageVerdict detection = verdict.getPath().getFirst();
                assertThat(detection.getStage()).isEqualTo(Stage.DETECTION);
                assertThat(detection.getModel().getId()).isEqualTo(UfdProbe.ID);
                assertThat(verdict.getEncodedBy().getId()).isEqualTo(UfdProbe.ENCODER_ID);
            }
        }
    }

    /** {@code make_encoder.py} as the README's recipe test runs it; returns the manifest. */
    private static Path makeEncoder(Path out) throws Exception {
        List<String> command = List.of(DebianPython.EXECUTABLE,
                ROOT.resolve("deploy/models/make_encoder.py").toString(),
                "--preset", "vit-l-14", "--layers", "1", "--width", "256", "--heads", "4", "--preprocess", "crop",
                "--id", UfdProbe.ENCODER_ID, "--out", out.toString());
        Path output = Files.createDirectories(out).resolve("make_encoder.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process process = builder.start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("make_encoder.py within 5 minutes").isTrue();
        assertThat(process.exitValue()).as("make_encoder.py exit; output:%n%s", Files.readString(output)).isZero();
        return out.resolve("manifest.json");
    }

    /** {@code aidetect train ufd-probe --pth ../shared/models/ufd-linear-probe/fc_weights.pth --out OUT}. */
    private static Path trainUfdProbe(Path out) {
        StringWriter err = new StringWriter();
        StringWriter stdout = new StringWriter();
        int exit = ExitCodes.install(new CommandLine(new TrainCommand())).setErr(new PrintWriter(err, true))
                .setOut(new PrintWriter(stdout, true)).execute("ufd-probe", "--pth", PTH.toString(), "--out",
                        out.toString());
        assertThat(exit).as("train ufd-probe; stderr:%n%s", err).isZero();
        System.out.print(stdout);
        return out;
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
