package dev.aidetect.tools.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.aidetect.imaging.decode.DecodeLimits;
import dev.aidetect.imaging.decode.DecodedImage;
import dev.aidetect.imaging.decode.ImageDecoder;
import dev.aidetect.imaging.decode.ImageRejectedException;
import dev.aidetect.schemas.RejectReason;
import dev.aidetect.tools.samples.BadInputCorpus.BadInput;

/**
 * Every file of the bad-input corpus through the decoder the embedder and the classifier use, with their default
 * limits: each ends as the corpus says (a specific reason, or pixels to judge), and none throws anything else.
 * {@code BadInputCorpusEndToEndIT} sends the same files through the packaged pipeline.
 */
class BadInputCorpusTest {
    private static final ImageDecoder DECODER = new ImageDecoder(DecodeLimits.defaults(), "aidetect.embedder");

    static Stream<BadInput> corpus() {
        return BadInputCorpus.files().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyFileEndsAsTheCorpusSays(BadInput input) {
        byte[] bytes = input.bytes().get();
        Optional<RejectReason> got;
        String detail;
        try {
            DecodedImage image = DECODER.decode(bytes);
            got = Optional.empty();
            detail = image.width() + "x" + image.height();
        } catch (ImageRejectedException e) {
            got = Optional.of(e.reason());
            detail = e.getMessage();
        }
        System.out.printf("%-26s %9d bytes  %-16s %s%n", input.name(), bytes.length,
                got.map(Enum::name).orElse("DECIDED"), detail);
        assertThat(got).as("%s (%s): %s", input.name(), input.what(), detail).isEqualTo(input.reason());
    }

    @Test
    void theCorpusHasAtLeastThirtyKindsWithUniqueNamesAndTheSameBytesEveryTime() {
        List<BadInput> files = BadInputCorpus.files();
        assertThat(files).hasSizeGreaterThanOrEqualTo(30);
        assertThat(new HashSet<>(files.stream().map(BadInput::name).toList())).hasSameSizeAs(files);
        for (BadInput input : files) {
            assertThat(input.bytes().get()).as(input.name()).isEqualTo(input.bytes().get());
        }
    }

    @Test
    void writesEveryFileAndAManifest(@TempDir Path dir) throws Exception {
        List<Path> written = BadInputCorpus.write(dir);

        List<String> manifest = Files.readAllLines(dir.resolve("manifest.tsv"));
        assertThat(written).hasSize(BadInputCorpus.files().size());
        assertThat(manifest).hasSize(written.size() + 1);
        List<String> expected = new ArrayList<>();
        for (BadInput input : BadInputCorpus.files()) {
            expected.add(input.name() + "\t" + input.expected() + "\t" + input.what());
        }
        assertThat(manifest.subList(1, manifest.size())).isEqualTo(expected);
    }
}
