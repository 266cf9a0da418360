package dev.aidetect.embedding;

import static dev.aidetect.testing.Prerequisites.require;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class DecodeThreadsTest {
    private static final Path OWN_STAT = Path.of("/proc/thread-self/stat");

    @Test
    void runsTasksAtTheConfiguredNiceOnLinux() throws Exception {
        require(Files.isReadable(OWN_STAT), OWN_STAT + " (Linux's per-thread nice)", "run the tests on Linux");
        CompletableFuture<Integer> nice = new CompletableFuture<>();

        Thread thread = DecodeThreads.factory("test-decode-", 7).newThread(() -> nice.complete(ownNice()));
        thread.start();

        assertThat(nice.get(30, TimeUnit.SECONDS)).isEqualTo(7);
        assertThat(thread.getName()).isEqualTo("test-decode-0");
        assertThat(thread.isDaemon()).isTrue();
    }

    @Test
    void leavesPriorityAloneAtZeroAndRefusesRaisingIt() {
        assertThat(DecodeThreads.factory("plain-", 0).newThread(() -> {
        }).getName()).isEqualTo("plain-0");
        assertThatThrownBy(() -> DecodeThreads.factory("eager-", -5)).hasMessageContaining("0 to 19");
    }

    /** Field 19 of /proc/thread-self/stat, counted after the parenthesised command name. */
    private static int ownNice() {
        try {
            String stat = Files.readString(OWN_STAT);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(fields[16]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
