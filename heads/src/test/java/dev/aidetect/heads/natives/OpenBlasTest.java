package dev.aidetect.heads.natives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.heads.HeadAlgorithm;
import dev.aidetect.heads.SmileSelfTest;

class OpenBlasTest {

    @Test
    void smilesNativePathsRunOnTheOpenBlasThisProcessLoaded() {
        OpenBlas.Loaded loaded = OpenBlas.ensureLoaded();
        System.err.println("[openblas] this test JVM uses the " + loaded);

        assertThat(loaded.source()).isIn("system", "bundled");
        for (HeadAlgorithm algorithm : SmileSelfTest.NATIVE_PATHS) {
            assertThat(SmileSelfTest.trainingAccuracy(algorithm)).as(algorithm.id()).isGreaterThan(0.9);
        }
    }

    @Test
    void bundledOpenBlasFromMavenCentralServesSmileWhereTheSystemHasNone(@TempDir Path cache) throws Exception {
        // given a process that must not use the system's library
        Result result = probe(cache, "-Daidetect.openblas=bundled");

        // then Smile's LDA, QDA, SVM and logistic regression ran on the extracted copy
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("openblas: bundled " + cache.resolve("openblas-0.3.31-1.5.13")
                .resolve("libopenblas.so"));
        assertThat(result.output()).contains("lda: training accuracy", "qda: training accuracy",
                "linear-svm: training accuracy", "rbf-svm: training accuracy");
        assertThat(ElfSoname.read(cache.resolve("openblas-0.3.31-1.5.13/libopenblas.so")))
                .isEqualTo("libopenblas.so");

        // and a second process reuses the extracted files
        assertThat(probe(cache, "-Daidetect.openblas=bundled").exitCode()).isZero();
    }

    @Test
    void anOpenBlasThatCannotBeFoundFailsWithOneLineSayingWhatToInstall(@TempDir Path cache) throws Exception {
        Result result = probe(cache, "-Dsmile.lib.blas=no-such-blas");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains(
                "OpenBLAS for Smile is missing: the dynamic linker cannot open libno-such-blas.so",
                "apt-get install libopenblas-dev");
    }

    @Test
    void renamesTheSharedObjectOnlyToAShorterPrefix(@TempDir Path dir) throws IOException {
        Path library = dir.resolve("libopenblas.so");
        try (InputStream in = getClass().getClassLoader()
                .getResourceAsStream(OpenBlas.RESOURCE_DIR + "libopenblas.so.0")) {
            Files.copy(in, library);
        }
        long size = Files.size(library);

        assertThat(ElfSoname.read(library)).isEqualTo("libopenblas.so.0");
        assertThatThrownBy(() -> ElfSoname.rename(library, "libopenblas.so.0", "libblas.so"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ElfSoname.rename(library, "libother.so.0", "libother.so"))
                .hasMessageContaining("is named libopenblas.so.0");

        ElfSoname.rename(library, "libopenblas.so.0", "libopenblas.so");

        assertThat(ElfSoname.read(library)).isEqualTo("libopenblas.so");
        assertThat(Files.size(library)).isEqualTo(size);
    }

    @Test
    void refusesAFileThatIsNotAnElfLibrary(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("libopenblas.so"), "not a library");

        assertThatThrownBy(() -> ElfSoname.read(text)).hasMessageContaining("is not a 64-bit little-endian ELF file");
    }

    private record Result(int exitCode, String output) {
    }

    private static Result probe(Path cache, String... properties) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-Daidetect.natives.dir=" + cache));
        command.addAll(List.of(properties));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), OpenBlasProbe.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
