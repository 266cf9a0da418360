package dev.aidetect.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.imaging.decode.DecodeLimits;
import dev.aidetect.imaging.decode.ImageDecoder;
import dev.aidetect.imaging.decode.ImageRejectedException;
import dev.aidetect.schemas.Authenticity;
import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.samples.BrokenSample;
import dev.aidetect.tools.samples.SampleSetWriter;
import dev.aidetect.tools.samples.SyntheticGenerator;

class SampleSetWriterTest {
    private final ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults());

    @Test
    void writesEverySourceUnderTheFolderItsLabelNeeds(@TempDir Path dir) {
        var summary = SampleSetWriter.write(dir, Arrays.asList(SyntheticGenerator.values()), 3, 64, 1, true, n -> {
        });

        assertThat(summary.images()).isEqualTo(15);
        assertThat(summary.broken()).isEqualTo(BrokenSample.values().length);
        List<LabelledImage> images = LabelledImage.collect(List.of(dir));
        assertThat(images).filteredOn(i -> i.label() != null && i.label().getAuthenticity() == Authenticity.REAL)
                .hasSize(3);
        assertThat(images).filteredOn(i -> i.label() != null && "upconv-gan".equals(i.label().getGenerator()))
                .hasSize(3).allSatisfy(i -> assertThat(i.label().getFamily()).isEqualTo("gan"));
        assertThat(images).filteredOn(i -> i.label() == null).hasSize(BrokenSample.values().length);
    }

    @Test
    void sameSeedWritesTheSameBytes(@TempDir Path a, @TempDir Path b) throws Exception {
        SampleSetWriter.write(a, List.of(SyntheticGenerator.LATENT_DIFFUSION), 2, 64, 9, false, n -> {
        });
        SampleSetWriter.write(b, List.of(SyntheticGenerator.LATENT_DIFFUSION), 2, 64, 9, false, n -> {
        });

        Path file = Path.of("fake/diffusion/latent-diffusion/latent-diffusion-0001.png");
        assertThat(Files.readAllBytes(a.resolve(file))).isEqualTo(Files.readAllBytes(b.resolve(file)));
    }

    @Test
    void everyGeneratedImageDecodesAtItsSize(@TempDir Path dir) throws Exception {
        SampleSetWriter.write(dir, Arrays.asList(SyntheticGenerator.values()), 1, 128, 3, false, n -> {
        });

        for (LabelledImage image : LabelledImage.collect(List.of(dir))) {
            var decoded = decoder.decode(Files.readAllBytes(image.file()));
            assertThat(decoded.width()).as(image.file().toString()).isEqualTo(128);
            assertThat(decoded.height()).isEqualTo(128);
        }
    }

    @Test
    void everyBrokenSampleIsRejectedForTheReasonTheEndToEndTestExpects(@TempDir Path dir) throws Exception {
        SampleSetWriter.write(dir, List.of(SyntheticGenerator.REAL), 1, 64, 5, true, n -> {
        });

        for (BrokenSample sample : BrokenSample.values()) {
            byte[] bytes = Files.readAllBytes(dir.resolve(SampleSetWriter.BROKEN_FOLDER).resolve(sample.fileName()));
            ImageRejectedException rejected = catchThrowableOfType(ImageRejectedException.class,
                    () -> decoder.decode(bytes));
            assertThat(rejected).as(sample.fileName()).isNotNull();
            assertThat(rejected.reason()).as(sample.fileName()).isEqualTo(sample.expectedReason());
        }
    }
}
