package dev.aidetect.tools.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.tools.cli.CommandFailure;

/** What {@code --detection-input} and {@code --detection-network} hand the classifier. */
class DetectionOptionsTest {
    @TempDir
    Path dir;

    @Test
    void aNetworkAloneServesItOnPixels() throws Exception {
        Path network = Files.createDirectories(dir.resolve("cifake-resnet20"));

        Map<String, String> env = options(null, network.toString()).classifierEnv();

        assertThat(env).containsEntry(DetectionOptions.DETECTION_INPUT, "pixels")
                .containsEntry(DetectionOptions.DETECTION_NETWORK, network.toAbsolutePath().toString());
    }

    @Test
    void fusedTakesTheNetworkToo() throws Exception {
        Path network = Files.createDirectories(dir.resolve("net"));

        assertThat(options("FUSED", network.toString()).classifierEnv())
                .containsEntry(DetectionOptions.DETECTION_INPUT, "fused");
    }

    @Test
    void nothingGivenLeavesTheClassifiersDefault() {
        assertThat(options(null, null).classifierEnv()).isEmpty();
        assertThat(options("vector", null).classifierEnv()).containsExactly(
                Map.entry(DetectionOptions.DETECTION_INPUT, "vector"));
    }

    @Test
    void theShippedNetworkIsTheDefaultOnlyWhenNothingChoseAnother() throws Exception {
        Path shipped = Files.createDirectories(dir.resolve("shipped"));
        Path other = Files.createDirectories(dir.resolve("other"));

        DetectionOptions none = options(null, null);
        DetectionOptions vector = options("vector", null);
        DetectionOptions network = options(null, other.toString());

        assertThat(none.defaultToNetwork(shipped)).isTrue();
        assertThat(none.classifierEnv()).containsEntry(DetectionOptions.DETECTION_INPUT, "pixels")
                .containsEntry(DetectionOptions.DETECTION_NETWORK, shipped.toAbsolutePath().toString());
        assertThat(vector.defaultToNetwork(shipped)).isFalse();
        assertThat(vector.classifierEnv()).doesNotContainKey(DetectionOptions.DETECTION_NETWORK);
        assertThat(network.defaultToNetwork(shipped)).isFalse();
        assertThat(network.classifierEnv()).containsEntry(DetectionOptions.DETECTION_NETWORK,
                other.toAbsolutePath().toString());
        assertThat(options(null, null).defaultToNetwork(dir.resolve("missing"))).isFalse();
    }

    @Test
    void refusesPixelsWithoutANetworkAndNamesWhatToGive() {
        assertThatThrownBy(() -> options("pixels", null).classifierEnv()).isInstanceOf(CommandFailure.class)
                .hasMessageContaining("--detection-network DIR");
        assertThatThrownBy(() -> options("pixels", dir.resolve("missing").toString()).classifierEnv())
                .isInstanceOf(CommandFailure.class).hasMessageContaining("is not a directory");
        assertThatThrownBy(() -> options("jpeg", null).classifierEnv()).isInstanceOf(CommandFailure.class)
                .hasMessageContaining("none of vector, pixels, fused");
    }

    private static DetectionOptions options(String input, String network) {
        DetectionOptions options = new DetectionOptions();
        options.input = input;
        options.network = network;
        return options;
    }
}
