package dev.aidetect.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SoakGaugesTest {
    @Test
    void sumsTheHeapPoolsOfAPrometheusExposition() {
        String exposition = """
                # HELP jvm_memory_used_bytes The amount of used memory
                # TYPE jvm_memory_used_bytes gauge
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.048576E7
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.9E7
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2097152.0
                jvm_memory_max_bytes{area="heap",id="G1 Old Gen"} 1.0E9
                """;

        assertThat(PipelineGauges.heapUsedBytes(exposition)).isEqualTo(12_582_912.0);
        assertThat(PipelineGauges.heapUsedBytes("up 1\n")).isNaN();
    }

    @Test
    void findsTheInodeOfTheSocketListeningOnAPort() {
        // given /proc/net/tcp lines: 8083 (0x1F93) listening, and a connection from it (state 01)
        List<String> table = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 00000000:1F93 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 44123 1",
                "   1: 0100007F:1F93 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000  1000        0 44999 1");

        assertThat(ListeningProcess.listeningInodes(table, 8083)).containsExactly("44123");
        assertThat(ListeningProcess.listeningInodes(table, 8082)).isEmpty();
    }

    @Test
    void findsThisJvmByAPortItListensOn() throws Exception {
        try (var server = new java.net.ServerSocket(0)) {
            assertThat(ListeningProcess.pidOf(server.getLocalPort())).hasValue(ProcessHandle.current().pid());
        }
    }
}
