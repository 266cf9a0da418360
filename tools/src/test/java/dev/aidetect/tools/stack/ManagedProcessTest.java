package dev.aidetect.tools.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The child processes of the local stack, with small {@code sh} scripts standing in for the broker and the services:
 * waiting for readiness, the message when a process dies or hangs first, and stopping.
 */
class ManagedProcessTest {
    @TempDir
    Path dir;

    private final List<ManagedProcess> started = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        started.forEach(ManagedProcess::close);
    }

    @Test
    void waitsUntilTheLogSaysReadyAndWritesOutputAndErrorsToTheLogInItsFolder() {
        // given
        ManagedProcess process = start("echo starting; echo 'a warning' >&2; sleep 0.5; echo 'kafka ready at :9092';"
                + " exec sleep 30");
        long start = System.nanoTime();

        // when
        process.awaitReady(() -> process.logContains("kafka ready at"), Duration.ofSeconds(20));

        // then
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(process.log()).isEqualTo(dir.resolve("logs/stand-in.log"));
        assertThat(process.tail(10)).isEqualTo("starting\na warning\nkafka ready at :9092");
        assertThat(alive(process)).isTrue();
    }

    @Test
    void aProcessThatExitsBeforeItIsReadyFailsWithItsExitCodeAndTheEndOfItsLog() {
        ManagedProcess process = start("echo 'loading model'; echo 'model file missing' >&2; exit 3");

        assertThatThrownBy(() -> process.awaitReady(() -> false, Duration.ofSeconds(20)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("stand-in exited with code 3 before it was ready; end of " + process.log()
                        + ":\nloading model\nmodel file missing");
    }

    @Test
    void aProcessThatIsNotReadyInTimeFailsSayingHowLongItWaited() {
        ManagedProcess process = start("echo 'still warming up'; exec sleep 30");
        long start = System.nanoTime();

        assertThatThrownBy(() -> process.awaitReady(() -> false, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("stand-in was not ready after 1 s; end of " + process.log() + ":\nstill warming up");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(1),
                Duration.ofSeconds(5));
    }

    @Test
    void readinessIsCheckedAgainUntilItHolds() {
        ManagedProcess process = start("exec sleep 30");
        int[] asked = {0};

        process.awaitReady(() -> ++asked[0] == 3, Duration.ofSeconds(20));

        assertThat(asked[0]).isEqualTo(3);
    }

    @Test
    void getsTheEnvironmentItIsGiven() {
        ManagedProcess process = ManagedProcess.start("stand-in",
                List.of("sh", "-c", "echo \"port=$QUARKUS_HTTP_PORT\"; exec sleep 30"),
                Map.of("QUARKUS_HTTP_PORT", "18081"), dir.resolve("logs/env.log"));
        started.add(process);

        process.awaitReady(() -> process.logContains("port="), Duration.ofSeconds(20));

        assertThat(process.tail(1)).isEqualTo("port=18081");
    }

    @Test
    void tailIsTheLastLinesOfTheLog() {
        ManagedProcess process = start("for i in $(seq 1 40); do echo line $i; done; echo done; exec sleep 30");
        process.awaitReady(() -> process.logContains("done"), Duration.ofSeconds(20));

        assertThat(process.tail(3)).isEqualTo("line 39\nline 40\ndone");
        assertThat(process.tail(100).lines()).hasSize(41);
    }

    @Test
    void killEndsAProcessThatIgnoresAPoliteStopAtOnce() {
        ManagedProcess process = start("trap '' TERM; echo ready; while true; do sleep 0.2; done");
        process.awaitReady(() -> process.logContains("ready"), Duration.ofSeconds(20));
        long start = System.nanoTime();

        process.kill();

        assertThat(alive(process)).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void closeStopsARunningProcessAndIsHarmlessOnceItHasEnded() {
        ManagedProcess process = start("echo ready; exec sleep 30");
        process.awaitReady(() -> process.logContains("ready"), Duration.ofSeconds(20));

        process.close();
        process.close();

        assertThat(alive(process)).isFalse();
    }

    @Test
    void aCommandThatCannotStartIsNamedInTheMessage() {
        Path missing = dir.resolve("no-such-launcher");

        assertThatThrownBy(() -> ManagedProcess.start("router", List.of(missing.toString(), "-jar", "x.jar"), Map.of(),
                dir.resolve("logs/router.log"))).isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("cannot start router (" + missing + " -jar x.jar): ");
    }

    @Test
    void aLogNotWrittenYetContainsNothing() {
        ManagedProcess process = start("exec sleep 30");

        assertThat(process.logContains("anything")).isFalse();
        assertThat(Files.exists(process.log())).isTrue();
    }

    private ManagedProcess start(String script) {
        ManagedProcess process = ManagedProcess.start("stand-in", List.of("sh", "-c", script), Map.of(),
                dir.resolve("logs/stand-in.log"));
        started.add(process);
        return process;
    }

    private static boolean alive(ManagedProcess process) {
        return ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false);
    }
}
