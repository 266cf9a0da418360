package dev.aidetect.tools.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

import dev.aidetect.common.LocalPorts;
import dev.aidetect.tools.cli.CommandFailure;

class PortTest {
    @Test
    void aTakenPortTheUserChoseIsRefusedNamingTheOption() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            assertThat(LocalPorts.free(port)).isFalse();
            assertThatThrownBy(() -> Port.requireFree(port, "--kafka-port")).isInstanceOf(CommandFailure.class)
                    .hasMessageContaining("port " + port + " is taken").hasMessageContaining("--kafka-port");
        }
    }

    @Test
    void aTakenPreferredPortIsReplacedByAFreeOne() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = Port.preferredOrFree(taken.getLocalPort());

            assertThat(port).isNotEqualTo(taken.getLocalPort());
            assertThat(LocalPorts.free(port)).isTrue();
        }
    }
}
