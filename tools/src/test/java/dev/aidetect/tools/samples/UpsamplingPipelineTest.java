package dev.aidetect.tools.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.aidetect.heads.fixtures.SyntheticGenerators;

class UpsamplingPipelineTest {
    private static final BufferedImage PHOTO = SyntheticGenerators.noise(32, new Random(3));

    @Test
    void everyPipelineEnlargesFourTimesAndKeepsAFlatImageFlat() {
        BufferedImage flat = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                flat.setRGB(x, y, 0x6496C8);
            }
        }
        for (UpsamplingPipeline pipeline : UpsamplingPipeline.values()) {
            BufferedImage up = pipeline.upsample(flat);

            assertThat(up.getWidth()).as(pipeline.generatorName()).isEqualTo(128);
            assertThat(up.getHeight()).isEqualTo(128);
            assertThat(Arrays.stream(up.getRGB(0, 0, 128, 128, null, 0, 128)).map(p -> p & 0xFFFFFF).distinct())
                    .as(pipeline.generatorName()).containsExactly(0x6496C8);
        }
    }

    @Test
    void nearestRepeatsEachPixelInAFourByFourBlock() {
        BufferedImage up = UpsamplingPipeline.NEAREST.upsample(PHOTO);

        assertThat(up.getRGB(4 * 5 + 3, 4 * 7)).isEqualTo(PHOTO.getRGB(5, 7));
        assertThat(up.getRGB(4 * 5, 4 * 7 + 3)).isEqualTo(PHOTO.getRGB(5, 7));
    }

    @Test
    void pipelinesAreDeterministicAndLeaveDifferentPixels() {
        for (UpsamplingPipeline a : UpsamplingPipeline.values()) {
            assertThat(pixels(a.upsample(PHOTO))).isEqualTo(pixels(a.upsample(PHOTO)));
            for (UpsamplingPipeline b : UpsamplingPipeline.values()) {
                if (a != b) {
                    assertThat(pixels(a.upsample(PHOTO))).as(a + " vs " + b).isNotEqualTo(pixels(b.upsample(PHOTO)));
                }
            }
        }
    }

    @Test
    void interpolationsStayCloseToThePhotoOnAverage() {
        double nearest = meanLevel(UpsamplingPipeline.NEAREST.upsample(PHOTO));
        for (UpsamplingPipeline pipeline : UpsamplingPipeline.values()) {
            assertThat(meanLevel(pipeline.upsample(PHOTO))).as(pipeline.generatorName()).isCloseTo(nearest,
                    org.assertj.core.api.Assertions.within(3.0));
        }
    }

    @Test
    void parsesGeneratorNamesAndListsThemWhenUnknown() {
        assertThat(UpsamplingPipeline.parse("tconv-b")).isEqualTo(UpsamplingPipeline.TCONV_B);
        assertThatThrownBy(() -> UpsamplingPipeline.parse("stylegan")).hasMessageContaining("pixelshuffle");
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    private static double meanLevel(BufferedImage image) {
        return Arrays.stream(pixels(image)).mapToDouble(p -> ((p >> 16 & 0xFF) + (p >> 8 & 0xFF) + (p & 0xFF)) / 3.0)
                .average().orElseThrow();
    }
}
