package dev.aidetect.tools.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The augmentations of {@code train heads --augment}: each changes the pixels within its range; one seed, one run. */
class HeadAugmentationTest {
    private static BufferedImage picture() {
        BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(1);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                image.setRGB(x, y, (x * 6) << 16 | (y * 8) << 8 | random.nextInt(256));
            }
        }
        return image;
    }

    private static boolean samePixels(BufferedImage a, BufferedImage b) {
        return a.getWidth() == b.getWidth() && a.getHeight() == b.getHeight() && java.util.Arrays.equals(
                a.getRGB(0, 0, a.getWidth(), a.getHeight(), null, 0, a.getWidth()),
                b.getRGB(0, 0, b.getWidth(), b.getHeight(), null, 0, b.getWidth()));
    }

    @Test
    void eachAugmentationChangesThePixelsAndCropKeepsSeventyToAHundredPercentOfEachSide() {
        BufferedImage picture = picture();
        Random random = new Random(3);
        for (HeadAugmentation augmentation : HeadAugmentation.values()) {
            for (int i = 0; i < 20; i++) {
                BufferedImage copy = augmentation.apply(picture, random);
                if (augmentation == HeadAugmentation.CROP) {
                    assertThat(copy.getWidth()).isBetween(28, 40);
                    assertThat(copy.getHeight()).isBetween(21, 30);
                } else {
                    assertThat(copy.getWidth()).isEqualTo(40);
                }
            }
            if (augmentation != HeadAugmentation.BLUR) {
                assertThat(samePixels(augmentation.apply(picture, new Random(5)), picture)).as(augmentation.name())
                        .isFalse();
            }
        }
        assertThat(samePixels(HeadAugmentation.BLUR.apply(picture, new Random(6)), picture)).isFalse();
    }

    @Test
    void jitterOfOneInEveryFactorLeavesThePictureAsItIs() {
        BufferedImage picture = picture();

        assertThat(samePixels(HeadAugmentation.jitter(picture, 1, 1, 1), picture)).isTrue();
    }

    @Test
    void theSameSeedMakesTheSameCopies() {
        HeadAugmentation.Plan plan = new HeadAugmentation.Plan(Set.of(HeadAugmentation.values()), 2, 11);

        List<BufferedImage> first = plan.copier().apply(picture());
        List<BufferedImage> second = plan.copier().apply(picture());

        assertThat(first).hasSize(2);
        assertThat(samePixels(first.get(0), second.get(0))).isTrue();
        assertThat(samePixels(first.get(1), second.get(1))).isTrue();
    }

    @Test
    void parsesAnyCaseAndRefusesAnUnknownKindListingTheFour() {
        assertThat(HeadAugmentation.parse(List.of("JPEG", " blur"))).containsExactly(HeadAugmentation.BLUR,
                HeadAugmentation.JPEG);
        assertThatThrownBy(() -> HeadAugmentation.parse(List.of("rotate"))).isInstanceOf(
                IllegalArgumentException.class).hasMessage(
                        "unknown augmentation 'rotate'; use jpeg, blur, jitter or "
                                + "crop");
    }
}
