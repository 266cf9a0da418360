package dev.aidetect.tools.stack;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.aidetect.tools.cli.CommandFailure;
import dev.aidetect.tools.train.DemoModels;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The models a stack serves, the same options wherever one is started or evaluated ({@code up}, {@code eval}): the
 * encoder, the detection and family heads on its vectors and the two attribution networks, each defaulting to the
 * services' own environment variable, and the demo's models (trained into {@code --demo-dir} on first use) for what
 * neither names, and what the real/fake call is made on ({@link DetectionOptions}). The result is each service's environment: the one place both a stack and {@code eval --offline}
 * read the model locations from.
 */
public final class ModelOptions {
    public static final String ENCODER = "AIDETECT_EMBEDDER_ENCODER_MANIFEST";
    public static final String DETECTION_HEAD = "AIDETECT_CLASSIFIER_DETECTION_HEAD";
    public static final String FAMILY_HEAD = "AIDETECT_CLASSIFIER_FAMILY_HEAD";
    public static final String ATTRIBUTION_GAN = "AIDETECT_CLASSIFIER_ATTRIBUTION_GAN";
    public static final String ATTRIBUTION_DIFFUSION = "AIDETECT_CLASSIFIER_ATTRIBUTION_DIFFUSION";
    /** The real-data detector the project ships, relative to the project root. */
    public static final String SHIPPED_DETECTOR = "deploy/models/cifake-detector";

    @Option(names = "--demo-dir", defaultValue = ".aidetect/demo", description = "Where the demo's models are trained and kept, shared with ./aidetect demo (default ${DEFAULT-VALUE}).")
    Path demoDir;

    @Option(names = "--encoder", paramLabel = "MANIFEST", defaultValue = "${env:" + ENCODER
            + "}", description = "The embedder's encoder (default: " + ENCODER + ", else the demo's tiny CLIP).")
    String encoder;

    @Option(names = "--detection-head", paramLabel = "FILE", defaultValue = "${env:" + DETECTION_HEAD
            + "}", description = "Real/fake head on the encoder's vectors (default: " + DETECTION_HEAD
                    + ", else the demo's).")
    String detectionHead;

    @Option(names = "--family-head", paramLabel = "FILE", defaultValue = "${env:" + FAMILY_HEAD
            + "}", description = "GAN/diffusion head on the encoder's vectors (default: " + FAMILY_HEAD
                    + ", else the demo's).")
    String familyHead;

    @Option(names = "--attribution-gan", paramLabel = "DIR", defaultValue = "${env:" + ATTRIBUTION_GAN
            + "}", description = "GAN attribution network (default: " + ATTRIBUTION_GAN + ", else the demo's).")
    String attributionGan;

    @Option(names = "--attribution-diffusion", paramLabel = "DIR", defaultValue = "${env:" + ATTRIBUTION_DIFFUSION
            + "}", description = "Diffusion attribution network (default: " + ATTRIBUTION_DIFFUSION
                    + ", else the demo's).")
    String attributionDiffusion;

    @Mixin
    DetectionOptions detection;

    /**
     * Makes the detector committed in {@code deploy/models/cifake-detector} (trained on real CIFAKE photos and
     * Stable Diffusion 1.4 images) the real/fake call when no detection option or variable chooses another, and says
     * so: what {@code eval} measures unless told otherwise.
     */
    public void detectWithShippedNetworkByDefault(Path root, PrintWriter err) {
        Path shipped = root.resolve(SHIPPED_DETECTOR);
        if (detection.defaultToNetwork(shipped)) {
            err.println("  detection: the committed real-data detector " + SHIPPED_DETECTOR + ", on pixels "
                    + "(--detection-input vector for the head on the encoder's vectors)");
        }
    }

    /**
     * The models the options (or the services' environment variables) name, by the variable that passes each on.
     *
     * @throws CommandFailure when one does not exist, or a custom encoder comes without heads for its vectors
     */
    public Map<String, String> given() {
        Map<String, String> given = new HashMap<>();
        putGiven(given, ENCODER, encoder, "--encoder");
        putGiven(given, DETECTION_HEAD, detectionHead, "--detection-head");
        putGiven(given, FAMILY_HEAD, familyHead, "--family-head");
        putGiven(given, ATTRIBUTION_GAN, attributionGan, "--attribution-gan");
        putGiven(given, ATTRIBUTION_DIFFUSION, attributionDiffusion, "--attribution-diffusion");
        if (given.containsKey(ENCODER) && !(given.containsKey(DETECTION_HEAD) && given.containsKey(FAMILY_HEAD))) {
            throw new CommandFailure("--encoder " + encoder + " needs --detection-head and --family-head trained "
                    + "on its vectors (./aidetect train heads --encoder ...): the demo's heads take only the demo "
                    + "encoder's vectors");
        }
        given.putAll(detection.classifierEnv());
        return given;
    }

    /**
     * The embedder's and the classifier's model settings: those given, the demo's for the rest (trained first if need
     * be).
     */
    public Map<StackService, Map<String, String>> serviceEnv(Path root, PrintWriter err) throws IOException {
        Map<String, String> given = given();
        Map<StackService, Map<String, String>> env = new EnumMap<>(StackService.class);
        if (given.keySet().containsAll(List.of(ENCODER, DETECTION_HEAD, FAMILY_HEAD, ATTRIBUTION_GAN,
                ATTRIBUTION_DIFFUSION))) {
            err.println("  models: as given, none of the demo's");
            env.put(StackService.EMBEDDER, Map.of(ENCODER, given.get(ENCODER)));
            Map<String, String> classifier = new HashMap<>(given);
            classifier.remove(ENCODER);
            env.put(StackService.CLASSIFIER, classifier);
            return env;
        }
        DemoModels demo = DemoModels.prepare(root, demoDir, err);
        Map<StackService, Map<String, String>> demoEnv = demo.serviceEnv(Duration.ofSeconds(60));
        for (StackService service : List.of(StackService.EMBEDDER, StackService.CLASSIFIER)) {
            Map<String, String> merged = new HashMap<>(demoEnv.get(service));
            merged.replaceAll((key, value) -> given.getOrDefault(key, value));
            if (service == StackService.CLASSIFIER) {
                merged.putAll(detection.classifierEnv());
            }
            env.put(service, merged);
        }
        if (!given.isEmpty()) {
            err.println("  models: " + String.join(", ", given.keySet()) + " as given, the demo's for the rest");
        }
        return env;
    }

    private static void putGiven(Map<String, String> given, String variable, String value, String option) {
        if (value == null || value.isBlank()) {
            return;
        }
        Path path = Path.of(value);
        if (!value.contains("://") && !Files.exists(path)) {
            throw new CommandFailure(option + " " + value + " does not exist (" + variable + " may name it too)");
        }
        given.put(variable, value.contains("://") ? value : path.toAbsolutePath().toString());
    }
}
