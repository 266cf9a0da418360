package dev.aidetect.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommonTest {
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @TempDir
    Path dir;

    @Test
    void sha256OfBytesInPartsAndOfAFileAgreeWithTheStandardVector() throws Exception {
        Path file = Files.writeString(dir.resolve("abc"), "abc");

        assertThat(Sha256.of("a".getBytes(StandardCharsets.US_ASCII), "bc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(ABC);
        assertThat(Sha256.ofFile(file)).isEqualTo(ABC);
    }

    @Test
    void deletesATreeAndToleratesOneThatIsNotThere() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("a/b/c"));
        Files.writeString(tree.resolve("f"), "x");

        MoreFiles.deleteRecursively(dir.resolve("a"));
        MoreFiles.deleteRecursively(dir.resolve("never"));

        assertThat(dir.resolve("a")).doesNotExist();
    }

    @Test
    void findsTheFileALoadedLibraryCameFrom() {
        assertThat(LoadedLibraries.find("libjvm")).hasValueSatisfying(path -> assertThat(path).isAbsolute()
                .exists());
        assertThat(LoadedLibraries.find("libno-such-library")).isEmpty();
    }
}
