package dev.aidetect.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

import org.junit.jupiter.api.Test;

import dev.aidetect.heads.natives.NativeLibraryMissingException;

class FailureLineTest {
    @Test
    void aStaticInitialiserThatFailedIsReportedByWhatItSaid() {
        Throwable failure = new NoClassDefFoundError("Could not initialize class dev.aidetect.heads.HeadAlgorithm");
        failure.initCause(new ExceptionInInitializerError(new NativeLibraryMissingException("OpenBLAS is missing: "
                + "apt-get install libopenblas-dev")));

        assertThat(FailureLine.of(failure)).isEqualTo("OpenBLAS is missing: apt-get install libopenblas-dev");
        assertThat(FailureLine.explained(failure)).isTrue();
    }

    @Test
    void aMissingFileIsNamedWithoutItsExceptionType() {
        Throwable failure = new UncheckedIOException(new NoSuchFileException("/data/x.avro"));

        assertThat(FailureLine.of(failure)).isEqualTo("no such file: /data/x.avro");
        assertThat(FailureLine.explained(failure)).isTrue();
    }

    @Test
    void aFailureTheProjectDidNotWriteKeepsItsTypeAndIsNotExplained() {
        Throwable failure = new NullPointerException("Cannot invoke \"String.length()\"");

        assertThat(FailureLine.of(failure)).isEqualTo("NullPointerException: Cannot invoke \"String.length()\"");
        assertThat(FailureLine.explained(failure)).isFalse();
    }

    @Test
    void aMessageOfSeveralLinesIsCutToItsFirst() {
        assertThat(FailureLine.of(new CommandFailure("broker gone\n  at node 1"))).isEqualTo("broker gone");
    }
}
