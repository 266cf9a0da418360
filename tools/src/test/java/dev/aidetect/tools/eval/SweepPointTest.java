package dev.aidetect.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import dev.aidetect.imaging.Jpegs;

/** The robustness sweep's transforms: parsed from the option, applied to an image's bytes. */
class SweepPointTest {
    private static final byte[] NOISY = noisyJpeg();

    @Test
    void parsesEachValueOfAnOptionInOrder() {
        assertThat(SweepPoint.parse("jpeg=100,90,75")).containsExactly(new SweepPoint("jpeg", 100),
                new SweepPoint("jpeg", 90), new SweepPoint("jpeg", 75));
        assertThat(SweepPoint.parse("scale=1, 0.75,0.5")).extracting(SweepPoint::label)
                .containsExactly("scale=1", "scale=0.75", "scale=0.5");
        assertThat(SweepPoint.parse("blur=2").getFirst().runSuffix()).isEqualTo("blur2");
    }

    @Test
    void refusesUnknownKindsAndValuesOutOfRangeSayingWhatIsExpected() {
        assertThatThrownBy(() -> SweepPoint.parse("noise=1")).hasMessageContaining("KIND one of [jpeg, blur, scale]");
        assertThatThrownBy(() -> SweepPoint.parse("jpeg=101")).hasMessageContaining("whole number from 1 to 100");
        assertThatThrownBy(() -> SweepPoint.parse("jpeg=abc")).hasMessageContaining("'abc' is not a number");
        assertThatThrownBy(() -> SweepPoint.parse("scale=0")).hasMessageContaining("above 0");
    }

    @Test
    void identityPointsSubmitTheOriginalBytes() throws IOException {
        assertThat(new SweepPoint("blur", 0).apply(NOISY)).isSameAs(NOISY);
        assertThat(new SweepPoint("scale", 1).apply(NOISY)).isSameAs(NOISY);
    }

    @Test
    void jpegReencodesAtTheQualityGivenSoLowerQualityIsSmaller() throws IOException {
        byte[] q90 = new SweepPoint("jpeg", 90).apply(NOISY);
        byte[] q30 = new SweepPoint("jpeg", 30).apply(NOISY);

        assertThat(read(q30).getWidth()).isEqualTo(64);
        assertThat(q30.length).isLessThan(q90.length / 2);
    }

    @Test
    void blurSmoothsAndKeepsTheSizeAsALosslessPng() throws IOException {
        byte[] blurred = new SweepPoint("blur", 2).apply(NOISY);

        assertThat(new String(blurred, 1, 3)).isEqualTo("PNG");
        BufferedImage image = read(blurred);
        assertThat(image.getWidth()).isEqualTo(64);
        assertThat(roughness(image)).isLessThan(roughness(read(NOISY)) / 3);
    }

    @Test
    void scaleResizesByTheFactor() throws IOException {
        BufferedImage half = read(new SweepPoint("scale", 0.5).apply(NOISY));

        assertThat(half.getWidth()).isEqualTo(32);
        assertThat(half.getHeight()).isEqualTo(24);
    }

    @Test
    void bytesThatAreNoImageAreRefusedSayingWhy() {
        assertThatThrownBy(() -> new SweepPoint("jpeg", 50).apply(new byte[]{1, 2, 3}))
                .isInstanceOf(IOException.class).hasMessageContaining("--sweep jpeg=50 cannot transform it");
    }

    /** Mean absolute difference of neighbouring pixels' green channel. */
    private static double roughness(BufferedImage image) {
        double sum = 0;
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 1; x < image.getWidth(); x++) {
                sum += Math.abs((image.getRGB(x, y) >> 8 & 0xFF) - (image.getRGB(x - 1, y) >> 8 & 0xFF));
                n++;
            }
        }
        return sum / n;
    }

    private static BufferedImage read(byte[] bytes) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(bytes));
    }

    private static byte[] noisyJpeg() {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(7);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        try {
            return Jpegs.encode(image, 0.95f);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

}
