package dev.aidetect.imaging.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.Arrays;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.aidetect.imaging.fixtures.TestImages;
import dev.aidetect.schemas.RejectReason;

class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults());

    @ParameterizedTest
    @ValueSource(strings = {"jpeg", "png", "gif", "bmp", "tiff"})
    void decodesEachSupportedFormatToRgb(String format) throws Exception {
        // given
        byte[] bytes = TestImages.encode(TestImages.pattern(40, 30), format);

        // when
        DecodedImage image = decoder.decode(bytes);

        // then
        assertThat(image.format()).isEqualTo(format);
        assertThat(image.width()).isEqualTo(40);
        assertThat(image.height()).isEqualTo(30);
        assertThat(image.rgb().getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    }

    @Test
    void keepsLosslessPixelsExactly() throws Exception {
        BufferedImage original = TestImages.pattern(17, 9);

        DecodedImage image = decoder.decode(TestImages.encode(original, "png"));

        assertThat(RgbImages.pixels(image.rgb())).containsExactly(RgbImages.pixels(original));
    }

    @Test
    void expandsGreyscaleToEqualChannelsWithoutGammaShift() throws Exception {
        byte[] grey = TestImages.encode(greyImage(8, 8, 100), "png");

        DecodedImage image = decoder.decode(grey);

        assertThat(image.rgb().getRGB(3, 3) & 0xFFFFFF).isEqualTo(100 << 16 | 100 << 8 | 100);
    }

    @Test
    void dropsAlphaKeepingColourOfTransparentPixels() throws Exception {
        byte[] transparent = TestImages.encode(TestImages.filled(8, 8, BufferedImage.TYPE_INT_ARGB, 0x00C80A1E), "png");

        DecodedImage image = decoder.decode(transparent);

        assertThat(image.rgb().getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(image.rgb().getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xC80A1E);
    }

    @Test
    void rejectsHtmlPageAsNotAnImage() {
        assertRejected(TestImages.text("<!DOCTYPE html>\n<html><body>hello</body></html>"), RejectReason.NOT_AN_IMAGE)
                .hasMessageContaining("<!DOCTYPE html>");
    }

    @Test
    void rejectsSvgAsNotAnImage() {
        assertRejected(TestImages.text("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>"),
                RejectReason.NOT_AN_IMAGE)
                .hasMessageContaining("send JPEG, PNG");
    }

    @Test
    void rejectsTextStartingLikeBitmapAsNotAnImage() {
        assertRejected(TestImages.text("BMW is a car maker, not a bitmap header at all"), RejectReason.NOT_AN_IMAGE);
    }

    @Test
    void rejectsEmptyContentAsNotAnImage() {
        assertRejected(new byte[0], RejectReason.NOT_AN_IMAGE).hasMessageContaining("empty");
    }

    @Test
    void rejectsHeicAsUnsupportedFormat() {
        byte[] heic = TestImages.text("\0\0\0\u0018ftypheic\0\0\0\0mif1heic");

        assertRejected(heic, RejectReason.UNSUPPORTED_FORMAT).hasMessageContaining("heif");
    }

    @Test
    void rejectsTruncatedWebpAsCorrupt() {
        byte[] webp = TestImages.fixture("photo-lossy.webp");

        assertRejected(Arrays.copyOf(webp, webp.length / 2), RejectReason.CORRUPT).hasMessageContaining("webp");
    }

    @Test
    void rejectsTruncatedJpegAsCorrupt() {
        byte[] jpeg = TestImages.encode(TestImages.pattern(200, 150), "jpeg");

        assertRejected(Arrays.copyOf(jpeg, jpeg.length / 2), RejectReason.CORRUPT).hasMessageContaining("jpeg");
    }

    @Test
    void rejectsPngWithGarbledDataAsCorrupt() {
        byte[] png = TestImages.encode(TestImages.pattern(50, 50), "png");
        for (int i = 60; i < png.length - 20; i++) {
            png[i] = (byte) (i * 31);
        }

        assertRejected(png, RejectReason.CORRUPT);
    }

    @Test
    void rejectsDecompressionBombWithTooManyPixels() {
        assertRejected(TestImages.pngClaiming(100_000, 100_000), RejectReason.TOO_MANY_PIXELS)
                .hasMessageContaining("100000x100000 = 10000 MP")
                .hasMessageContaining("40 MP limit (aidetect.embedder.max-pixels)");
    }

    @Test
    void rejectsBytesOverTheLimitAsTooLarge() {
        ImageDecoder small = new ImageDecoder(new DecodeLimits(1024, 1_000_000, Duration.ofSeconds(5)),
                "aidetect.classifier");

        assertThatThrownBy(() -> small.decode(TestImages.encode(TestImages.pattern(100, 100), "png")))
                .isInstanceOfSatisfying(ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.TOO_LARGE))
                .hasMessageContaining("aidetect.classifier.max-bytes");
    }

    @Test
    void rejectsDecodeOverTheTimeLimit() {
        ImageDecoder hurried = new ImageDecoder(new DecodeLimits(1 << 24, 1 << 24, Duration.ofNanos(1)));
        byte[] png = TestImages.encode(TestImages.pattern(600, 600), "png");

        assertThatThrownBy(() -> hurried.decode(png))
                .isInstanceOfSatisfying(ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.DECODE_TIMEOUT))
                .hasMessageContaining("decode-timeout");
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRejected(byte[] bytes, RejectReason reason) {
        return assertThatThrownBy(() -> decoder.decode(bytes))
                .isInstanceOfSatisfying(ImageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static BufferedImage greyImage(int width, int height, int level) {
        BufferedImage grey = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSamples(0, 0, width, height, 0, filledArray(width * height, level));
        return grey;
    }

    private static int[] filledArray(int length, int value) {
        int[] values = new int[length];
        Arrays.fill(values, value);
        return values;
    }
}
