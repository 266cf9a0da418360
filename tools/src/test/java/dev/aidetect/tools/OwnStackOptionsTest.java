package dev.aidetect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.aidetect.tools.stack.OwnStackOptions;

import picocli.CommandLine;

/**
 * Bench pipeline, soak and chaos share their stack options ({@link OwnStackOptions}): the same defaults, and the same
 * bad values refused with the same one-line message before anything starts.
 */
class OwnStackOptionsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"bench pipeline", "soak", "chaos"})
    void noPartitionsIsRefusedByName(String command) {
        CliRun run = run(command, "--partitions", "0");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--partitions must be at least 1, got 0");
        assertThat(dir.resolve("work")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bench pipeline", "soak", "chaos"})
    void aKafkaPortInUseIsRefusedBeforeAnythingStarts(String command) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRun run = run(command, "--kafka-port", String.valueOf(taken.getLocalPort()));

            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.err()).contains("port " + taken.getLocalPort() + " is taken", "--kafka-port");
            assertThat(dir.resolve("work")).doesNotExist();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bench pipeline", "soak", "chaos"})
    void theDefaultsAreTheSameEverywhere(String command) {
        CommandLine sub = AidetectCli.commandLine();
        for (String name : command.split(" ")) {
            sub = sub.getSubcommands().get(name);
        }

        assertThat(sub.getCommandSpec().findOption("--partitions").defaultValue()).isEqualTo("3");
        assertThat(sub.getCommandSpec().findOption("--models-from").defaultValue()).isEqualTo(".aidetect/demo");
        assertThat(sub.getCommandSpec().findOption("--kafka-port").defaultValue()).isNull();
    }

    private CliRun run(String command, String... options) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.addAll(List.of("--work-dir", dir.resolve("work").toString()));
        args.addAll(List.of(options));
        return CliRun.of(args.toArray(String[]::new));
    }
}
