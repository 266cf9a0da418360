package dev.aidetect.imaging.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.imaging.fixtures.TestImages;
import dev.aidetect.imaging.fixtures.Vectors;

/**
 * The tiny encoder's bfloat16 export beside its float32 file. The test resource {@code encoders/tiny-clip-vit-bf16.pt}
 * (656 kB) is the {@code encoder-bf16.pt} that {@code /usr/bin/python3 deploy/models/make_encoder.py --bf16 --out DIR}
 * writes: the same seed, so the same weights, as the committed {@code deploy/models/tiny-clip-vit}, whose manifest and
 * {@code encoder.pt} (which a new trace would not reproduce byte for byte) stay as they are.
 */
class HalfPrecisionEncoderTest {

    @TempDir
    Path dir;

    @Test
    void bfloat16ExportRunsOnTheCpuWithinCosine099OfFloat32() throws Exception {
        Path manifest = tinyWithBf16Export();
        int images = 6;
        try (ImageEncoder float32 = loader(EncoderDevice.CPU, EncoderPrecision.FLOAT32).load(manifest.toString());
                ImageEncoder bf16 = loader(EncoderDevice.CPU, EncoderPrecision.BFLOAT16).load(manifest.toString())) {
            Preprocessor preprocessor = float32.preprocessor();
            float[] batch = new float[images * preprocessor.floatsPerImage()];
            for (int i = 0; i < images; i++) {
                preprocessor.preprocess(TestImages.pattern(90 + 40 * i, 70 + 25 * i), batch,
                        i * preprocessor.floatsPerImage());
            }

            float[][] expected = float32.embed(batch, images);
            float[][] actual = bf16.embed(batch, images);

            double lowest = 1;
            for (int i = 0; i < images; i++) {
                lowest = Math.min(lowest, Vectors.cosine(expected[i], actual[i]));
            }
            System.out.printf("bfloat16 vs float32, tiny encoder, %d images: lowest cosine %.6f%n", images, lowest);
            assertThat(lowest).isGreaterThanOrEqualTo(0.99);
            assertThat(bf16.precision()).isEqualTo(EncoderPrecision.BFLOAT16);
            assertThat(bf16.version()).as("embeddings say which build made them").isEqualTo("1-bf16");
            assertThat(bf16.members()).extracting(ImageEncoder.Member::version).containsExactly("1-bf16");
            assertThat(float32.version()).isEqualTo("1");
        }
    }

    @Test
    void float16OnDeviceCpuIsRefusedBeforeAnythingLoads() throws Exception {
        Path manifest = tinyWithBf16Export();

        assertThatThrownBy(() -> loader(EncoderDevice.CPU, EncoderPrecision.FLOAT16).load(manifest.toString()))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("precision float16 is set with device cpu for encoder tiny-clip-vit v1")
                .hasMessageContaining("use bfloat16 or float32, or set the device to auto or gpu");
    }

    @Test
    void bfloat16WithoutAnExportNamesTheMissingFieldAndTheFlag() {
        assertThatThrownBy(() -> loader(EncoderDevice.AUTO, EncoderPrecision.BFLOAT16)
                .load(TestImages.tinyEncoderManifest().toString()))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("has no bf16File in its manifest: export it with --bf16");
    }

    @Test
    void precisionParsesItsSettingNamesOnly() {
        assertThat(EncoderPrecision.parse("BFloat16")).isEqualTo(EncoderPrecision.BFLOAT16);
        assertThat(EncoderPrecision.parse(" float32 ")).isEqualTo(EncoderPrecision.FLOAT32);
        assertThatThrownBy(() -> EncoderPrecision.parse("fp8")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown precision 'fp8': use float32, float16 or bfloat16");
    }

    private static EncoderLoader loader(EncoderDevice device, EncoderPrecision precision) {
        return new EncoderLoader(ModelCache.defaults(), device, precision);
    }

    /** The tiny encoder's manifest and float32 file copied to {@link #dir}, with the bf16 export added to both. */
    private Path tinyWithBf16Export() throws Exception {
        Path source = TestImages.tinyEncoderManifest();
        Files.copy(source.resolveSibling("encoder.pt"), dir.resolve("encoder.pt"));
        byte[] bf16;
        try (InputStream in = getClass().getResourceAsStream("/encoders/tiny-clip-vit-bf16.pt")) {
            bf16 = in.readAllBytes();
        }
        Files.write(dir.resolve("encoder-bf16.pt"), bf16);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bf16));
        return Files.writeString(dir.resolve("manifest.json"), Files.readString(source).replace("\"sha256\"",
                "\"bf16File\": \"encoder-bf16.pt\", \"bf16Sha256\": \"" + sha256 + "\", \"sha256\""));
    }
}
