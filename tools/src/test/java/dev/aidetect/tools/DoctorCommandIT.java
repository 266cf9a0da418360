package dev.aidetect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

import dev.aidetect.kafka.KafkaEndpoint;

/** {@code aidetect doctor} on this machine, with the test broker and with an address where none listens. */
class DoctorCommandIT {
    @Test
    void reportsEachNativeLibraryWithWhereItWasLoadedFromAndTheBroker() {
        CliRun run = CliRun.of("doctor", "--bootstrap-servers", KafkaEndpoint.bootstrapServers());

        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.out().lines()).anySatisfy(line -> assertThat(line).matches(
                "ok +jdk +25.*")).anySatisfy(line -> assertThat(line).matches(
                        "ok +openblas +(system|bundled) /.*libopenblas.*lda.*"))
                .anySatisfy(
                        line -> assertThat(line).matches("ok +libtorch +PyTorch 2\\.7\\.1 .*from /.*"))
                .anySatisfy(line -> assertThat(line).matches("(ok|warn) +libturbojpeg .*"))
                .anySatisfy(line -> assertThat(line).matches("(ok|warn) +python .*"))
                .anySatisfy(line -> assertThat(line).matches("ok +kafka +.*1 broker\\(s\\) answered"));
        assertThat(run.out().lines().toList().getLast()).startsWith("8 checks:").contains("0 failed");
    }

    @Test
    void exitsOneWhenTheConfiguredBrokerDoesNotAnswer() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        CliRun run = CliRun.of("doctor", "--bootstrap-servers", "localhost:" + port);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).containsPattern("fail +kafka +no broker answers at localhost:" + port);
    }
}
