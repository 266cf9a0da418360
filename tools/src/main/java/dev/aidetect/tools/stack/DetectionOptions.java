package dev.aidetect.tools.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.aidetect.classifier.domain.DetectionInput;
import dev.aidetect.tools.cli.CommandFailure;

import picocli.CommandLine.Option;

/**
 * What the stack's real/fake call is made on, the same options wherever a stack is started or evaluated ({@code up},
 * {@code demo}, {@code eval}, streaming or {@code --offline}): the classifier's {@code detection-input} and
 * {@code detection-network}, each defaulting to the classifier's own environment variable. A network given alone
 * means {@code pixels}, so one flag (or one variable) serves a trained detector such as the committed
 * {@code deploy/models/cifake-detector}.
 */
public final class DetectionOptions {
    public static final String DETECTION_INPUT = "AIDETECT_CLASSIFIER_DETECTION_INPUT";
    public static final String DETECTION_NETWORK = "AIDETECT_CLASSIFIER_DETECTION_NETWORK";

    @Option(names = "--detection-input", paramLabel = "vector|pixels|fused", defaultValue = "${env:" + DETECTION_INPUT
            + "}", description = "What the real/fake call is made on: the detection head on the encoder's vector, the "
                    + "detection network on the image's pixels, or both fused (default: " + DETECTION_INPUT
                    + ", else pixels when a detection network is given, else vector).")
    String input;

    @Option(names = "--detection-network", paramLabel = "DIR", defaultValue = "${env:" + DETECTION_NETWORK
            + "}", description = "Real/fake network on pixels (./aidetect train detector or detector-ensemble; the committed one: "
                    + "deploy/models/cifake-detector) for --detection-input pixels or fused (default: "
                    + DETECTION_NETWORK + ").")
    String network;

    /**
     * Makes {@code dir} the detection network, on pixels, when these options (and the classifier's environment
     * variables) name neither an input nor a network.
     *
     * @return whether it did
     */
    boolean defaultToNetwork(Path dir) {
        boolean unset = (input == null || input.isBlank()) && (network == null || network.isBlank());
        if (unset && Files.isDirectory(dir)) {
            network = dir.toString();
            return true;
        }
        return false;
    }

    /**
     * The classifier's detection settings these options give, empty when they give none (the classifier's default,
     * vector).
     *
     * @throws CommandFailure when the input is not one of the three, the network does not exist, or pixels or fused
     *             come without a network
     */
    public Map<String, String> classifierEnv() {
        boolean hasNetwork = network != null && !network.isBlank();
        DetectionInput chosen;
        if (input == null || input.isBlank()) {
            chosen = hasNetwork ? DetectionInput.PIXELS : DetectionInput.VECTOR;
        } else {
            try {
                chosen = DetectionInput.of(input);
            } catch (IllegalArgumentException e) {
                throw new CommandFailure("--detection-input " + e.getMessage() + " (" + DETECTION_INPUT
                        + " may name it too)");
            }
        }
        Map<String, String> env = new HashMap<>();
        if (chosen.readsPixels()) {
            if (!hasNetwork) {
                throw new CommandFailure("--detection-input " + chosen.label() + " needs --detection-network DIR "
                        + "(./aidetect train detector writes one; deploy/models/cifake-detector is committed)");
            }
            Path path = Path.of(network);
            if (!Files.isDirectory(path)) {
                throw new CommandFailure("--detection-network " + network + " is not a directory (" + DETECTION_NETWORK
                        + " may name it too); give the folder ./aidetect train detector wrote");
            }
            env.put(DETECTION_NETWORK, path.toAbsolutePath().toString());
        }
        if (chosen != DetectionInput.VECTOR || (input != null && !input.isBlank())) {
            env.put(DETECTION_INPUT, chosen.label());
        }
        return env;
    }
}
