package dev.aidetect.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * A benchmark mode run in its own process, with {@code sh} scripts standing in for the worker: its result is the
 * last JSON line it prints, and a worker that fails says so with what it printed.
 */
class WorkersTest {
    private static final String RESULT = "{\"mode\":\"inprocess\",\"images\":4,\"seconds\":2.0,"
            + "\"latenciesMs\":[10.0,20.0,30.0,40.0],\"peakRssKb\":1234}";

    @Test
    void theResultIsTheLastResultLineAfterTheProgress() {
        ModeResult result = Workers.run("inprocess", sh("echo 'warming up'; echo '{\"mode\":\"old\",\"images\":1,"
                + "\"seconds\":1.0,\"latenciesMs\":[1.0],\"peakRssKb\":1}'; echo '" + RESULT + "'; echo done"),
                Map.of());

        assertThat(result.mode()).isEqualTo("inprocess");
        assertThat(result.images()).isEqualTo(4);
        assertThat(result.imagesPerSecond()).isEqualTo(2.0);
        assertThat(result.latencyMs(50)).isEqualTo(20.0);
        assertThat(result.peakRssKb()).isEqualTo(1234);
    }

    @Test
    void theWorkerGetsTheEnvironmentItIsGiven() {
        ModeResult result = Workers.run("python", sh("echo \"{\\\"mode\\\":\\\"$MODE\\\",\\\"images\\\":1,"
                + "\\\"seconds\\\":1.0,\\\"latenciesMs\\\":[1.0],\\\"peakRssKb\\\":0}\""), Map.of("MODE", "python"));

        assertThat(result.mode()).isEqualTo("python");
    }

    @Test
    void aWorkerThatFailsIsNamedWithItsExitCode() {
        assertThatThrownBy(() -> Workers.run("kafka", sh("echo '" + RESULT + "'; exit 3"), Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("kafka exited with code 3 (its errors are above)");
    }

    @Test
    void aWorkerThatPrintsNoResultShowsTheEndOfItsOutput() {
        assertThatThrownBy(() -> Workers.run("python", sh("for i in $(seq 1 12); do echo step $i; done"), Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("python printed no result line; its output ended with: step 3\n")
                .hasMessageEndingWith("step 12");
    }

    @Test
    void aBrokenResultLineIsShown() {
        assertThatThrownBy(() -> Workers.run("inprocess", sh("echo '{\"mode\": broken'"), Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("inprocess printed a result that is not valid: {\"mode\": broken");
    }

    @Test
    void aWorkerThatCannotStartIsNamedWithItsCommand() {
        assertThatThrownBy(() -> Workers.run("python", List.of("/no/such/python3", "-c", "pass"), Map.of()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("cannot run python (/no/such/python3): ");
    }

    @Test
    void aResultSurvivesItsJsonLine() {
        ModeResult result = ModeResult.parseLastOf(List.of(RESULT), "worker");

        assertThat(ModeResult.parseLastOf(List.of(result.toJson()), "worker")).usingRecursiveComparison()
                .isEqualTo(result);
    }

    @Test
    void peakMemoryOfThisProcessIsKnownAndOfAGoneOneIsZero() {
        assertThat(ModeResult.peakRssKb(ProcessHandle.current().pid())).isPositive();
        assertThat(ModeResult.peakRssKb(Long.MAX_VALUE)).isZero();
    }

    private static List<String> sh(String script) {
        return List.of("sh", "-c", script);
    }
}
