package dev.aidetect.tools.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Reading {@code deploy/runtime.env}: what a hand edit of it can get wrong is said, naming the line or the key. */
class RuntimeEnvTest {
    private static final String VALID = """
            # libtorch DJL loads
            PYTORCH_VERSION=2.7.1

            PYTORCH_FLAVOR=cpu
              AIDETECT_JVM_FLAGS=--enable-native-access=ALL-UNNAMED   -Xss2m
            """;

    @Test
    void readsTheThreeSettingsSkippingCommentsAndBlankLines() {
        RuntimeEnv env = RuntimeEnv.parse(VALID);

        assertThat(env.pytorchVersion()).isEqualTo("2.7.1");
        assertThat(env.pytorchFlavor()).isEqualTo("cpu");
        assertThat(env.jvmFlags()).containsExactly("--enable-native-access=ALL-UNNAMED", "-Xss2m");
        assertThat(env.djlEnvironment()).isEqualTo(Map.of("PYTORCH_VERSION", "2.7.1", "PYTORCH_FLAVOR", "cpu"));
    }

    @Test
    void keepsTheEntriesInOrderAndAnEqualsSignInsideAValue() {
        assertThat(RuntimeEnv.entries(VALID)).containsExactly(Map.entry("PYTORCH_VERSION", "2.7.1"),
                Map.entry("PYTORCH_FLAVOR", "cpu"),
                Map.entry("AIDETECT_JVM_FLAGS", "--enable-native-access=ALL-UNNAMED   -Xss2m"));
    }

    @Test
    void aLineThatIsNotKeyEqualsValueIsNamed() {
        assertThatThrownBy(() -> RuntimeEnv.parse("PYTORCH_VERSION 2.7.1\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("runtime.env: 'PYTORCH_VERSION 2.7.1' is not KEY=value");
        assertThatThrownBy(() -> RuntimeEnv.parse("=cpu\n")).hasMessage("runtime.env: '=cpu' is not KEY=value");
    }

    @Test
    void aMissingOrEmptySettingIsNamed() {
        assertThatThrownBy(() -> RuntimeEnv.parse("PYTORCH_VERSION=2.7.1\nAIDETECT_JVM_FLAGS=-Xss2m\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("runtime.env names no PYTORCH_FLAVOR");
        assertThatThrownBy(() -> RuntimeEnv.parse("PYTORCH_VERSION=\nPYTORCH_FLAVOR=cpu\nAIDETECT_JVM_FLAGS=-X\n"))
                .hasMessage("runtime.env names no PYTORCH_VERSION");
    }
}
