package dev.aidetect.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A machine without OpenBLAS, as the command line meets it: the library is looked up once per process, so each case
 * is a process of its own, pointed by {@code smile.lib.blas} at a library no machine has.
 */
class MissingNativeLibraryTest {
    private static final String MISSING = "aidetect-missing-blas";

    @Test
    void missingOpenBlasIsOneLineNamingTheLibraryAndWhatToInstall() throws Exception {
        Result result = aidetect("train", "heads", "--embeddings", "vectors.avro");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.stderr().strip().lines().toList()).singleElement().asString().contains(
                "aidetect train heads: OpenBLAS for Smile is missing", "lib" + MISSING + ".so",
                "apt-get install libopenblas-dev");
    }

    @Test
    void missingOpenBlasWithVerboseShowsWhereItWasNeeded() throws Exception {
        Result result = aidetect("train", "heads", "--embeddings", "vectors.avro", "--verbose");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.stderr()).contains("ExceptionInInitializerError", "\tat dev.aidetect.heads.natives.OpenBlas");
    }

    private record Result(int exit, String stderr) {
    }

    private static Result aidetect(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dsmile.lib.blas=" + MISSING, "-cp",
                System.getProperty("java.class.path"), AidetectCli.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("aidetect ended").isTrue();
        return new Result(process.exitValue(), stderr);
    }
}
