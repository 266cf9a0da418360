package dev.aidetect.imaging.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.io.ByteArrayInputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.aidetect.imaging.fixtures.TestImages;

/**
 * Formats beyond the JDK's defaults, on the fixtures that {@code src/test/python/make_fixtures.py} wrote with PIL:
 * EXIF-oriented JPEGs, CMYK JPEG, animated GIF, palette PNG with transparency, WebP; YCCK JPEG (which PIL cannot
 * write: {@code src/test/fixtures/MakeYcckJpeg.java}); and 16-bit PNGs written here.
 * Expected values are what PIL shows for the same files.
 */
class ImageFormatsTest {

    private static final int RED = 0xFF0000;
    private static final int GREEN = 0x00FF00;
    private static final int BLUE = 0x0000FF;
    private static final int WHITE = 0xFFFFFF;

    private final ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults());

    /** The fixture stores red, green / blue, white quadrants (16x8); PIL's exif_transpose shows these corners. */
    @ParameterizedTest(name = "orientation {0}")
    @CsvSource({
            "1, 16, 8, RED, GREEN, BLUE, WHITE", "2, 16, 8, GREEN, RED, WHITE, BLUE",
            "3, 16, 8, WHITE, BLUE, GREEN, RED", "4, 16, 8, BLUE, WHITE, RED, GREEN",
            "5, 8, 16, RED, BLUE, GREEN, WHITE", "6, 8, 16, BLUE, RED, WHITE, GREEN",
            "7, 8, 16, WHITE, GREEN, BLUE, RED", "8, 8, 16, GREEN, WHITE, RED, BLUE"})
    void appliesJpegExifOrientationAsPilDoes(int orientation, int width, int height, String topLeft,
            String topRight, String bottomLeft, String bottomRight) throws Exception {
        // given
        byte[] jpeg = TestImages.fixture("quadrants-exif-" + orientation + ".jpg");

        // when
        DecodedImage image = decoder.decode(jpeg);

        // then
        assertThat(image.width()).isEqualTo(width);
        assertThat(image.height()).isEqualTo(height);
        BufferedImage rgb = image.rgb();
        assertThat(nearest(rgb.getRGB(1, 1))).isEqualTo(topLeft);
        assertThat(nearest(rgb.getRGB(width - 2, 1))).isEqualTo(topRight);
        assertThat(nearest(rgb.getRGB(1, height - 2))).isEqualTo(bottomLeft);
        assertThat(nearest(rgb.getRGB(width - 2, height - 2))).isEqualTo(bottomRight);
    }

    /** PIL converts CMYK with {@code 255 - k} scaled by each ink, no profile; these are its values for the fixture. */
    @Test
    void convertsCmykJpegToRgbAsPilDoes() throws Exception {
        DecodedImage image = decoder.decode(TestImages.fixture("cmyk.jpg"));

        BufferedImage rgb = image.rgb();
        assertThat(rgb.getRGB(3, 2) & 0xFFFFFF).isEqualTo(207 << 16 | 46 << 8 | 190);
        assertThat(rgb.getRGB(12, 2) & 0xFFFFFF).isEqualTo(WHITE);
        assertThat(rgb.getRGB(3, 6) & 0xFFFFFF).isEqualTo(0x00FFFF);
        assertThat(rgb.getRGB(12, 6) & 0xFFFFFF).isEqualTo(119 << 16 | 103 << 8 | 87);
    }

    /**
     * ycck.jpg is cmyk.jpg re-coded as YCCK (Adobe transform 2; {@code src/test/fixtures/MakeYcckJpeg.java}): PIL shows
     * these values for it. Against the CMYK twin each channel may be up to 2 levels off, and no more: the CMY to YCbCr
     * round trip rounds to 8 bits and the chroma planes are quantised again, while a decoder that took YCCK samples for
     * CMYK would be off by tens of levels.
     */
    @Test
    void convertsYcckJpegToRgbAsPilDoes() throws Exception {
        DecodedImage ycck = decoder.decode(TestImages.fixture("ycck.jpg"));
        DecodedImage cmyk = decoder.decode(TestImages.fixture("cmyk.jpg"));

        BufferedImage rgb = ycck.rgb();
        assertThat(rgb.getRGB(3, 2) & 0xFFFFFF).isEqualTo(205 << 16 | 47 << 8 | 190);
        assertThat(rgb.getRGB(12, 2) & 0xFFFFFF).isEqualTo(WHITE);
        assertThat(rgb.getRGB(3, 6) & 0xFFFFFF).isEqualTo(1 << 16 | 255 << 8 | 255);
        assertThat(rgb.getRGB(12, 6) & 0xFFFFFF).isEqualTo(119 << 16 | 104 << 8 | 88);
        assertThat(TestImages.channelDiffs(RgbImages.pixels(rgb), RgbImages.pixels(cmyk.rgb())).max().orElseThrow())
                .as("max |diff| vs the CMYK twin").isLessThanOrEqualTo(2);
    }

    @Test
    void decodesFirstFrameOfAnimatedGif() throws Exception {
        DecodedImage image = decoder.decode(TestImages.fixture("two-frames.gif"));

        assertThat(image.format()).isEqualTo("gif");
        assertThat(image.rgb().getRGB(1, 1) & 0xFFFFFF).isEqualTo(RED);
        assertThat(image.rgb().getRGB(6, 6) & 0xFFFFFF).isEqualTo(RED);
    }

    /** PIL's convert("RGB") keeps a transparent palette entry's colour; so do we. */
    @Test
    void keepsPaletteColoursOfTransparentPngPixels() throws Exception {
        DecodedImage image = decoder.decode(TestImages.fixture("palette-alpha.png"));

        assertThat(image.rgb().getRGB(1, 1) & 0xFFFFFF).isEqualTo(RED);
        assertThat(image.rgb().getRGB(6, 6) & 0xFFFFFF).isEqualTo(GREEN);
    }

    /** PIL reads 16-bit RGB PNGs as their top bytes: (20000, 64535, 0x80FF) becomes (78, 252, 128). */
    @Test
    void keepsTopByteOf16BitRgbPngAsPilDoes() throws Exception {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
                new int[]{16, 16, 16}, false, false, Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        BufferedImage sixteen = new BufferedImage(model, model.createCompatibleWritableRaster(2, 1), false, null);
        sixteen.getRaster().setPixel(0, 0, new int[]{20000, 64535, 0x80FF});
        sixteen.getRaster().setPixel(1, 0, new int[]{300, 255, 65535});

        DecodedImage image = decoder.decode(TestImages.encode(sixteen, "png"));

        assertThat(image.rgb().getRGB(0, 0) & 0xFFFFFF).isEqualTo(78 << 16 | 252 << 8 | 128);
        assertThat(image.rgb().getRGB(1, 0) & 0xFFFFFF).isEqualTo(1 << 16 | 255);
    }

    /**
     * 16-bit grey keeps its top byte too. (PIL 9.4 clips I;16 to 255 instead, which turns most such images white; we
     * deliberately do not copy that.)
     */
    @Test
    void keepsTopByteOf16BitGreyPng() throws Exception {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        grey.getRaster().setSample(0, 0, 0, 300);
        grey.getRaster().setSample(1, 0, 0, 51400);

        DecodedImage image = decoder.decode(TestImages.encode(grey, "png"));

        assertThat(image.rgb().getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x010101);
        assertThat(image.rgb().getRGB(1, 0) & 0xFFFFFF).isEqualTo(0xC8C8C8);
    }

    @Test
    void decodesLosslessWebpToTheExactPixels() throws Exception {
        DecodedImage image = decoder.decode(TestImages.fixture("pattern-lossless.webp"));

        assertThat(image.format()).isEqualTo("webp");
        assertThat(RgbImages.pixels(image.rgb())).containsExactly(RgbImages.pixels(png("pattern.png")));
    }

    /**
     * TwelveMonkeys' VP8 decoder is not libwebp (its chroma upsampling and rounding differ): on this photo crop it is
     * 0.95 levels off on average, 15 at most. Bounds a little above that catch a broken decoder, not the known gap.
     */
    @Test
    void decodesLossyWebpWithinAFewLevelsOfLibwebp() throws Exception {
        DecodedImage image = decoder.decode(TestImages.fixture("photo-lossy.webp"));

        int[] java = RgbImages.pixels(image.rgb());
        int[] pil = RgbImages.pixels(png("photo-lossy.pil.png"));
        assertThat(java).hasSameSizeAs(pil);
        assertThat(TestImages.channelDiffs(java, pil).average().orElseThrow()).as("mean |diff| vs libwebp")
                .isLessThan(1.5);
        assertThat(TestImages.channelDiffs(java, pil).max().orElseThrow()).as("max |diff| vs libwebp")
                .isLessThanOrEqualTo(24);
    }

    private static String nearest(int argb) {
        int r = argb >>> 16 & 0xFF;
        int g = argb >>> 8 & 0xFF;
        int b = argb & 0xFF;
        int rgb = (r > 127 ? RED : 0) | (g > 127 ? GREEN : 0) | (b > 127 ? BLUE : 0);
        return switch (rgb) {
            case RED -> "RED";
            case GREEN -> "GREEN";
            case BLUE -> "BLUE";
            case WHITE -> "WHITE";
            default -> Integer.toHexString(argb);
        };
    }

    private static BufferedImage png(String name) throws IOException {
        return RgbImages.toRgb(ImageIO.read(new ByteArrayInputStream(TestImages.fixture(name))));
    }
}
