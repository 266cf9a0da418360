package dev.aidetect.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ProcessFiguresTest {

    @Test
    void readsUserAndSystemTicksPastACommandNameWithSpacesAndParentheses() {
        // given a /proc/PID/stat line whose command name holds ") (" and spaces; utime 1234, stime 56
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 56 0 0 20 0 40 0 12345 "
                + "4000000000 200000 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0";

        assertThat(ProcessFigures.parseCpuTicks(stat)).isEqualTo(1290);
    }

    @Test
    void chargesThisProcessTheCpuTimeItSpendsAfterTheMark() {
        // given this JVM's own figures, marked before some work
        ProcessFigures figures = new ProcessFigures(Map.of("self", ProcessHandle.current().pid()));
        Map<String, Double> start = figures.mark();

        // when it spins for a while
        long until = System.nanoTime() + 300_000_000L;
        double sink = 0;
        while (System.nanoTime() < until) {
            sink += Math.sqrt(sink + 1);
        }

        // then its CPU time since the mark is positive and its peak memory known
        ProcessFigures.Usage usage = figures.since(start).get("self");
        assertThat(sink).isPositive();
        assertThat(usage.cpuSeconds()).isPositive();
        assertThat(usage.peakRssMb()).isPositive();
    }
}
