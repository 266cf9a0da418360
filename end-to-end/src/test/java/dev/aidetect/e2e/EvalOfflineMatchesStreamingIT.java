package dev.aidetect.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.aidetect.heads.attribution.DetectionNetwork;
import dev.aidetect.testing.Prerequisites;
import dev.aidetect.tools.cli.ExitCodes;
import dev.aidetect.tools.eval.EvalCommand;
import dev.aidetect.tools.train.TrainCommand;

import picocli.CommandLine;

/**
 * {@code aidetect eval} on 40 CIFAKE images (20 real, 20 Stable Diffusion 1.4), once through the packaged pipeline on
 * a real broker and once {@code --offline} with the same models: the same final verdict for every image (status,
 * authenticity, each stage's decision, family and generator), so the same accuracy, confusion matrices and rates, and
 * the same scores but for float32 noise (the encoder's forward passes batch the images differently), so the same AP
 * and AUC to the four decimals the summary line prints. Twice: with the real/fake call on the encoder's vector (the
 * shared pipeline), and on the pixels (a stack eval starts itself with {@code --detection-network}, a network trained
 * here for two short epochs: these tests hold the two runs to each other, not a network to a figure).
 */
@ExtendWith(RunningPipeline.Provider.class)
class EvalOfflineMatchesStreamingIT {
    private static final Path ROOT = Path.of(System.getProperty("aidetect.project.root", "..")).toAbsolutePath();
    private static final Path CIFAKE = ROOT.resolve("../shared/data/cifake-dev").normalize();
    private static final Pattern LINE = Pattern.compile(
            "eval: (\\d+) images, acc=(\\S+), ap=(\\S+), auc=(\\S+), report=(\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DEMO_MODELS = ROOT.resolve("end-to-end/target/e2e");

    @BeforeAll
    static void needsCifake() {
        Prerequisites.require(Files.isDirectory(CIFAKE), "the CIFAKE sample " + CIFAKE,
                "place it at ../shared/data/cifake-dev beside the project (see ../shared/data/README.md)");
    }

    @Test
    void offlineGivesTheStreamingRunsVerdictsAndNumbers(RunningPipeline pipeline) throws Exception {
        // given the pipeline's own models (trained by RunningPipeline into end-to-end/target/e2e)
        Path work = ROOT.resolve("end-to-end/target/eval-it");
        List<String> common = List.of("--dataset", CIFAKE.toString(), "--limit", "40", "--fake-family", "diffusion",
                "--fake-generator", "sd-1.4", "--demo-dir", DEMO_MODELS.toString());

        // when
        Run streaming = eval(common, "--bootstrap-servers", pipeline.stack().bootstrapServers(), "--out",
                work.resolve("streaming").toString());
        Run offline = eval(common, "--offline", "--detection-input", "vector", "--out",
                work.resolve("offline").toString());

        // then
        assertSameVerdictsAndNumbers(work, streaming, offline);
    }

    @Test
    void offlineGivesTheStreamingRunsVerdictsWithDetectionOnPixels() throws Exception {
        // given a real/fake network trained briefly on CIFAKE (600 images, two epochs), and the demo's other models
        Path work = ROOT.resolve("end-to-end/target/eval-pixels-it");
        Path network = trainTinyDetector(work.resolve("models"));
        List<String> common = List.of("--dataset", CIFAKE.toString(), "--limit", "40", "--fake-family", "diffusion",
                "--fake-generator", "sd-1.4", "--demo-dir", DEMO_MODELS.toString(), "--detection-input", "pixels",
                "--detection-network", network.toString());

        // when eval starts a stack of its own whose classifier decides on pixels, and runs offline
        // (a fresh stack's consumers take a while to join their groups on a loaded machine: no case may time out)
        Run streaming = eval(common, "--work-dir", work.resolve("stack").toString(), "--stage-timeout", "PT5M",
                "--out", work.resolve("streaming").toString());
        Run offline = eval(common, "--offline", "--out", work.resolve("offline").toString());

        // then the same verdicts and numbers, and in both the detection verdicts name the network
        assertSameVerdictsAndNumbers(work, streaming, offline);
        String networkId;
        try (DetectionNetwork loaded = DetectionNetwork.load(network)) {
            networkId = loaded.id();
        }
        for (String mode : List.of("streaming", "offline")) {
            JsonNode report = JSON.readTree(work.resolve(mode + "/eval.json").toFile());
            assertThat(report.at("/images")).as("%s: some images called fake went on to the family stage", mode)
                    .anySatisfy(image -> assertThat(image.get("predictedFamily").isNull()).isFalse());
            assertThat(report.at("/run/models").has(networkId)).as("%s run's models %s name %s", mode,
                    report.at("/run/models"), networkId).isTrue();
        }
    }

    /**
     * {@code ./aidetect train detector} on a seeded 300 images a class for two epochs: seconds, not half an hour. The
     * threshold is 0.5: the best-accuracy threshold of so brief a network can land at 1.0, calling every image real,
     * and then no case would reach the family and attribution stages.
     */
    private static Path trainTinyDetector(Path out) {
        StringWriter err = new StringWriter();
        int exit = ExitCodes.install(new CommandLine(new TrainCommand())).setErr(new PrintWriter(err, true))
                .setOut(new PrintWriter(new StringWriter(), true)).execute("detector", "--images", CIFAKE.toString(),
                        "--per-class", "300", "--epochs", "2", "--threshold", "fixed-0.5", "--out", out.toString());
        assertThat(exit).as("train detector; stderr:%n%s", err).isZero();
        return out.resolve("detection-network");
    }

    private static void assertSameVerdictsAndNumbers(Path work, Run streaming, Run offline) throws Exception {
        // both end with the summary line, and every image got its final verdict
        assertThat(streaming.exit()).as("streaming exit; stderr:%n%s", streaming.err()).isZero();
        assertThat(offline.exit()).as("offline exit; stderr:%n%s", offline.err()).isZero();
        Matcher streamed = streaming.line();
        Matcher ranOffline = offline.line();
        assertThat(streamed.group(1)).isEqualTo("40");
        assertThat(streamed.group(5)).isEqualTo(work.resolve("streaming/report.html").toString());
        // the same numbers
        for (int group = 1; group <= 4; group++) {
            assertThat(ranOffline.group(group)).as("summary number %d", group).isEqualTo(streamed.group(group));
        }
        JsonNode a = JSON.readTree(work.resolve("streaming/eval.json").toFile());
        JsonNode b = JSON.readTree(work.resolve("offline/eval.json").toFile());
        assertThat(b.at("/run/mode").asText()).isEqualTo("offline");
        assertThat(b.at("/confusion")).isEqualTo(a.at("/confusion"));
        for (String number : List.of("accuracy", "realAccuracy", "fakeAccuracy", "uncertainRate", "unknownRate",
                "scored")) {
            assertThat(b.at("/groups/0/" + number)).as(number).isEqualTo(a.at("/groups/0/" + number));
        }
        for (String number : List.of("averagePrecision", "auc", "bestAccuracy", "ece")) {
            assertThat(b.at("/groups/0/" + number).asDouble()).as(number)
                    .isCloseTo(a.at("/groups/0/" + number).asDouble(), within(1e-4));
        }
        // and image by image: the same verdicts, the same scores but for float32 noise
        Map<String, JsonNode> offlineImages = byOriginal(b);
        assertThat(offlineImages).hasSize(40);
        for (JsonNode image : a.at("/images")) {
            JsonNode other = offlineImages.get(image.get("originalId").asText());
            for (String field : List.of("status", "authenticity", "detection", "predictedFamily",
                    "predictedGenerator", "notDecided")) {
                assertThat(other.get(field)).as("%s of %s", field, image.get("originalId")).isEqualTo(image.get(field));
            }
            assertThat(other.get("score").asDouble()).as("score of %s", image.get("originalId"))
                    .isCloseTo(image.get("score").asDouble(), within(1e-4));
        }
    }

    private static Map<String, JsonNode> byOriginal(JsonNode report) {
        Map<String, JsonNode> images = new HashMap<>();
        report.at("/images").forEach(image -> images.put(image.get("originalId").asText(), image));
        return images;
    }

    record Run(int exit, String out, String err) {
        Matcher line() {
            String[] lines = out.strip().split("\n");
            Matcher matcher = LINE.matcher(lines[lines.length - 1]);
            assertThat(matcher.matches()).as("last line of%n%s", out).isTrue();
            return matcher;
        }
    }

    private static Run eval(List<String> common, String... more) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ExitCodes.install(new CommandLine(new EvalCommand())).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        String[] args = java.util.stream.Stream.concat(common.stream(), java.util.Arrays.stream(more))
                .toArray(String[]::new);
        long start = System.nanoTime();
        int exit = cli.execute(args);
        System.out.printf("%s%s%neval took %d s%n", err, out, (System.nanoTime() - start) / 1_000_000_000L);
        return new Run(exit, out.toString(), err.toString());
    }
}
