package dev.aidetect.imaging.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.imaging.fixtures.TestImages;

class EncoderManifestTest {

    @TempDir
    Path dir;

    @Test
    void readsCommittedTinyEncoderManifest() throws Exception {
        EncoderManifest manifest = EncoderManifest.read(TestImages.tinyEncoderManifest());

        assertThat(manifest.id()).isEqualTo("tiny-clip-vit");
        assertThat(manifest.version()).isEqualTo("1");
        assertThat(manifest.inputSize()).isEqualTo(224);
        assertThat(manifest.preprocess()).isEqualTo(PreprocessMode.CLIP);
        assertThat(manifest.embeddingSize()).isEqualTo(64);
        assertThat(manifest.mean()).containsExactly(0.48145466f, 0.4578275f, 0.40821073f);
        assertThat(manifest.verifiedFile())
                .isEqualTo(TestImages.tinyEncoderManifest().getParent().resolve("encoder.pt"));
    }

    @Test
    void refusesModelFileWhoseChecksumDiffers() throws Exception {
        Path manifestPath = copyOfTinyEncoder();
        byte[] model = Files.readAllBytes(dir.resolve("encoder.pt"));
        model[model.length / 2] ^= 1;
        Files.write(dir.resolve("encoder.pt"), model);
        EncoderManifest manifest = EncoderManifest.read(manifestPath);

        assertThatThrownBy(manifest::verifiedFile)
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("has sha256")
                .hasMessageContaining("expects " + manifest.sha256());
    }

    @Test
    void namesTheFieldThatIsMissing() throws Exception {
        Path manifestPath = copyOfTinyEncoder();
        Files.writeString(manifestPath, Files.readString(manifestPath).replaceAll("\"embeddingSize\": \\d+,", ""));

        assertThatThrownBy(() -> EncoderManifest.read(manifestPath))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("field 'embeddingSize' must be a positive integer");
    }

    @Test
    void refusesUnknownPreprocessMode() throws Exception {
        Path manifestPath = copyOfTinyEncoder();
        Files.writeString(manifestPath, Files.readString(manifestPath).replace("\"clip\"", "\"squash\""));

        assertThatThrownBy(() -> EncoderManifest.read(manifestPath))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("'preprocess'")
                .hasMessageContaining("use 'clip', 'crop' or 'resize'");
    }

    @Test
    void saysWhereTheMissingManifestWasLookedFor() {
        Path missing = dir.resolve("nowhere/manifest.json");

        assertThatThrownBy(() -> EncoderManifest.read(missing))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void readsAnOptionalFp16ExportAndChecksItsChecksum() throws Exception {
        Path manifestPath = copyOfTinyEncoder();
        Files.copy(dir.resolve("encoder.pt"), dir.resolve("encoder-fp16.pt"));
        String sha256 = EncoderManifest.read(manifestPath).sha256();
        String json = Files.readString(manifestPath);
        Files.writeString(manifestPath,
                json.replace("\"sha256\"", "\"fp16File\": \"encoder-fp16.pt\", \"fp16Sha256\": \""
                        + "0".repeat(64) + "\", \"sha256\""));

        EncoderManifest manifest = EncoderManifest.read(manifestPath);

        assertThat(manifest.has(EncoderPrecision.FLOAT16)).isTrue();
        assertThat(manifest.has(EncoderPrecision.BFLOAT16)).isFalse();
        assertThat(manifest.fp16File()).isEqualTo(dir.resolve("encoder-fp16.pt"));
        assertThatThrownBy(() -> manifest.verifiedFile(EncoderPrecision.FLOAT16))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("has sha256 " + sha256)
                .hasMessageContaining("expects " + "0".repeat(64));
    }

    @Test
    void readsAnOptionalBf16ExportAndVerifiesItAsTheFileOfThatPrecision() throws Exception {
        Path manifestPath = copyOfTinyEncoder();
        Files.copy(dir.resolve("encoder.pt"), dir.resolve("encoder-bf16.pt"));
        String sha256 = EncoderManifest.read(manifestPath).sha256();
        Files.writeString(manifestPath, Files.readString(manifestPath).replace("\"sha256\"",
                "\"bf16File\": \"encoder-bf16.pt\", \"bf16Sha256\": \"" + sha256 + "\", \"sha256\""));

        EncoderManifest manifest = EncoderManifest.read(manifestPath);

        assertThat(manifest.bf16File()).isEqualTo(dir.resolve("encoder-bf16.pt"));
        assertThat(manifest.bf16Sha256()).isEqualTo(sha256);
        assertThat(manifest.verifiedFile(EncoderPrecision.BFLOAT16)).isEqualTo(dir.resolve("encoder-bf16.pt"));
        EncoderManifest bf16 = manifest.in(EncoderPrecision.BFLOAT16);
        assertThat(bf16.version()).isEqualTo("1-bf16");
        assertThat(bf16.file()).isEqualTo(dir.resolve("encoder-bf16.pt"));
        assertThat(manifest.in(EncoderPrecision.FLOAT32)).isEqualTo(manifest);
        assertThatThrownBy(() -> manifest.verifiedFile(EncoderPrecision.FLOAT16))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("names no fp16File, so it cannot run in float16: export one with --fp16");
    }

    @Test
    void refusesAnFp16ExportWithoutItsChecksum() throws Exception {
        Path manifestPath = copyOfTinyEncoder();
        Files.writeString(manifestPath, Files.readString(manifestPath).replace("\"sha256\"",
                "\"fp16File\": \"encoder.pt\", \"sha256\""));

        assertThatThrownBy(() -> EncoderManifest.read(manifestPath))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("field 'fp16Sha256' is missing or blank");
    }

    private Path copyOfTinyEncoder() throws Exception {
        Path source = TestImages.tinyEncoderManifest();
        Files.copy(source.resolveSibling("encoder.pt"), dir.resolve("encoder.pt"));
        return Files.copy(source, dir.resolve("manifest.json"));
    }
}
