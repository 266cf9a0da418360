package dev.aidetect.embedding;

import static dev.aidetect.testing.Prerequisites.require;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.OptionalInt;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TorchThreadsTest {
    private String savedThreads;
    private String savedInterop;

    @BeforeEach
    void save() {
        savedThreads = System.getProperty(TorchThreads.NUM_THREADS);
        savedInterop = System.getProperty(TorchThreads.NUM_INTEROP_THREADS);
        System.clearProperty(TorchThreads.NUM_THREADS);
        System.clearProperty(TorchThreads.NUM_INTEROP_THREADS);
    }

    @AfterEach
    void restore() {
        restore(TorchThreads.NUM_THREADS, savedThreads);
        restore(TorchThreads.NUM_INTEROP_THREADS, savedInterop);
    }

    @Test
    void setsDjlThreadPropertiesFromTheSettings() {
        TorchThreads.apply(1, OptionalInt.of(3), 2, "");

        assertThat(System.getProperty(TorchThreads.NUM_THREADS)).isEqualTo("3");
        assertThat(System.getProperty(TorchThreads.NUM_INTEROP_THREADS)).isEqualTo("2");
    }

    @Test
    void keepsThreadCountsGivenOnTheCommandLine() {
        System.setProperty(TorchThreads.NUM_THREADS, "5");

        TorchThreads.apply(1, OptionalInt.empty(), 1, "");

        assertThat(System.getProperty(TorchThreads.NUM_THREADS)).isEqualTo("5");
        assertThat(System.getProperty(TorchThreads.NUM_INTEROP_THREADS)).isEqualTo("1");
    }

    @Test
    void sharesTheProcessorsOutAmongTheInferenceThreadsByDefault() {
        int processors = Runtime.getRuntime().availableProcessors();

        TorchThreads.apply(2, OptionalInt.empty(), 1, "");

        assertThat(System.getProperty(TorchThreads.NUM_THREADS)).isEqualTo(String.valueOf(Math.max(1,
                processors / 2)));
    }

    @Test
    void runsOneInferenceThreadOnAGpuAndAtMostTwoOnACpu() {
        assertThat(TorchThreads.defaultInferenceThreads(true)).isEqualTo(1);
        assertThat(TorchThreads.defaultInferenceThreads(false))
                .isEqualTo(Math.min(2, Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void putsTheWaitPolicyInTheProcessEnvironmentForLibgomp() throws Throwable {
        requireNoWaitPolicyInTheEnvironment();

        TorchThreads.apply(1, OptionalInt.of(1), 1, "passive");

        assertThat(nativeGetenv(TorchThreads.WAIT_POLICY)).isEqualTo("PASSIVE");
    }

    @Test
    void rejectsUnknownWaitPolicyAndZeroThreads() {
        assertThatThrownBy(() -> TorchThreads.apply(0, OptionalInt.of(1), 1, "passive"))
                .hasMessageContaining("inference-threads");
        assertThatThrownBy(() -> TorchThreads.apply(1, OptionalInt.of(0), 1, "passive"))
                .hasMessageContaining("at least 1");
        requireNoWaitPolicyInTheEnvironment();
        assertThatThrownBy(() -> TorchThreads.apply(1, OptionalInt.of(1), 1, "sleepy"))
                .hasMessageContaining("passive or active");
    }

    /** An OMP_WAIT_POLICY given to the JVM wins over the setting, so the setting cannot be observed. */
    private static void requireNoWaitPolicyInTheEnvironment() {
        require(System.getenv(TorchThreads.WAIT_POLICY) == null, "a test environment without OMP_WAIT_POLICY",
                "unset OMP_WAIT_POLICY before running the tests");
    }

    private static String nativeGetenv(String name) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle getenv = linker.downcallHandle(linker.defaultLookup().find("getenv").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = (MemorySegment) getenv.invokeExact(arena.allocateFrom(name));
            return value.equals(MemorySegment.NULL) ? null : value.reinterpret(256).getString(0);
        }
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }
}
