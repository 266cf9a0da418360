package dev.aidetect.imaging.decode;

import static dev.aidetect.testing.Prerequisites.requireLibTurboJpeg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;

import javax.imageio.IIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.aidetect.imaging.fixtures.TestImages;
import dev.aidetect.schemas.RejectReason;

/**
 * libjpeg-turbo through FFM against the JDK's reader (the fallback) on the same files; exactness against PIL on real
 * photos is {@link ReferenceParityTest}'s. Skipped where {@code libturbojpeg0} is not installed, except the fallback.
 */
class TurboJpegTest {

    private static final String PREFIX = "aidetect.embedder";

    private final ImageDecoder imageIo = new ImageDecoder(DecodeLimits.defaults(), PREFIX, Optional.empty());
    private TurboJpeg turbo;
    private ImageDecoder fast;

    @BeforeEach
    void requireLibrary() {
        Optional<TurboJpeg> library = TurboJpeg.system();
        requireLibTurboJpeg(library.isPresent());
        turbo = library.get();
        fast = new ImageDecoder(DecodeLimits.defaults(), PREFIX, library);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void decodesBaselineAndProgressiveJpegToImageIoPixelsWithinOneLevel(boolean progressive) throws Exception {
        // given: a photo and a colour pattern, written by the JDK's encoder (4:2:0)
        for (BufferedImage source : new BufferedImage[]{photo(), TestImages.pattern(203, 151)}) {
            byte[] jpeg = jpeg(source, progressive);

            // when
            Optional<BufferedImage> decoded = turbo.decode(jpeg, (w, h) -> {
            }, Duration.ofSeconds(5), 0).map(TurboJpeg.Frame::pixels);

            // then
            assertThat(decoded).as("TurboJPEG decodes it itself").isPresent();
            assertThat(maxChannelDiff(decoded.get(), imageIo.decode(jpeg).rgb())).isLessThanOrEqualTo(1);
            assertThat(decoded.get().getRGB(0, 0) >>> 24).as("opaque, no stray X byte").isEqualTo(0xFF);
            assertThat(RgbImages.pixels(decoded.get())[0] >>> 24).isZero();
        }
    }

    @Test
    void reusedBuffersGiveTheSamePixelsAsFreshOnesWhateverTheSizesBefore() throws Exception {
        // given: a large, a small and a mid-size JPEG, decoded first each on a thread of its own (fresh buffers)
        List<byte[]> jpegs = List.of(jpeg(TestImages.pattern(1203, 901), false), jpeg(photo(), false),
                jpeg(TestImages.pattern(640, 480), true));
        List<int[]> fresh = new ArrayList<>();
        for (byte[] jpeg : jpegs) {
            fresh.add(onNewThread(() -> RgbImages.pixels(fast.decode(jpeg).rgb())));
        }

        // when: all on this one thread, large to small and back, twice
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < jpegs.size(); i++) {
                // then
                assertThat(RgbImages.pixels(fast.decode(jpegs.get(i)).rgb())).as("image %d, round %d", i, round)
                        .isEqualTo(fresh.get(i));
            }
        }
    }

    private static <T> T onNewThread(Callable<T> work) throws Exception {
        FutureTask<T> task = new FutureTask<>(work);
        Thread thread = new Thread(task);
        thread.start();
        return task.get();
    }

    @Test
    void decodesGreyscaleJpegToEqualChannels() throws Exception {
        BufferedImage grey = new BufferedImage(24, 16, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSamples(0, 0, 24, 16, 0, filled(24 * 16, 100));

        DecodedImage image = fast.decode(TestImages.encode(grey, "jpeg"));

        assertThat(image.rgb().getRGB(5, 5) & 0xFFFFFF).isEqualTo(100 << 16 | 100 << 8 | 100);
    }

    @Test
    void rejectsTruncatedJpegAsCorruptItself() {
        byte[] jpeg = TestImages.encode(TestImages.pattern(200, 150), "jpeg");

        assertThatThrownBy(() -> turbo.decode(Arrays.copyOf(jpeg, jpeg.length / 2), (w, h) -> {
        }, Duration.ofSeconds(5), 0)).isInstanceOf(IIOException.class).hasMessageContaining("ends early");
        assertRejected(Arrays.copyOf(jpeg, jpeg.length / 2), RejectReason.CORRUPT);
    }

    @Test
    void rejectsJpegWithGarbledHeaderAsCorrupt() {
        byte[] jpeg = TestImages.encode(TestImages.pattern(64, 64), "jpeg");
        for (int i = 20; i < 200; i++) {
            jpeg[i] = (byte) (i * 37);
        }

        assertRejected(jpeg, RejectReason.CORRUPT).hasMessageContaining("jpeg");
    }

    @Test
    void refusesHugeHeaderWithTooManyPixelsBeforeDecoding() {
        // given: a 64x64 JPEG whose frame header claims 60000x60000
        byte[] jpeg = claimingSize(TestImages.encode(TestImages.pattern(64, 64), "jpeg"), 60_000, 60_000);

        // when / then: the size check runs on the header and its refusal stops the decode
        assertThatThrownBy(() -> turbo.decode(jpeg, (w, h) -> {
            throw new ImageRejectedException(RejectReason.TOO_MANY_PIXELS, w + "x" + h);
        }, Duration.ofSeconds(5), 0)).isInstanceOf(ImageRejectedException.class).hasMessage("60000x60000");
        assertRejected(jpeg, RejectReason.TOO_MANY_PIXELS).hasMessageContaining("60000x60000 = 3600 MP");
    }

    @Test
    void rejectsDecodeOverTheTimeLimit() {
        ImageDecoder hurried = new ImageDecoder(new DecodeLimits(1 << 24, 1 << 24, Duration.ofNanos(1)), PREFIX,
                TurboJpeg.system());

        assertThatThrownBy(() -> hurried.decode(TestImages.encode(TestImages.pattern(600, 600), "jpeg")))
                .isInstanceOfSatisfying(ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.DECODE_TIMEOUT))
                .hasMessageContaining("decode-timeout");
    }

    @Test
    void leavesCmykJpegToImageIo() throws Exception {
        byte[] cmyk = TestImages.fixture("cmyk.jpg");

        assertThat(turbo.decode(cmyk, (w, h) -> {
        }, Duration.ofSeconds(5), 0)).isEmpty();
        assertThat(RgbImages.pixels(fast.decode(cmyk).rgb())).containsExactly(RgbImages.pixels(imageIo.decode(cmyk)
                .rgb()));
    }

    @ParameterizedTest
    @CsvSource({"4000, 3000, 224, 8", "2000, 1500, 224, 4", "1000, 800, 224, 2",
            "448, 448, 224, 2", "447, 2000, 224, 1", "100, 100, 224, 1", "4000, 3000, 0, 1"})
    void picksPilsDraftScale(int width, int height, int side, int scale) {
        assertThat(TurboJpeg.draftScale(width, height, side)).isEqualTo(scale);
    }

    @Test
    void draftDecodesALargeJpegAtAReducedScaleAndChecksLimitsOnTheFullSize() throws Exception {
        byte[] jpeg = TestImages.encode(TestImages.pattern(900, 700), "jpeg");
        int[] checked = new int[2];

        Optional<TurboJpeg.Frame> decoded = turbo.decode(jpeg, (w, h) -> {
            checked[0] = w;
            checked[1] = h;
        }, Duration.ofSeconds(5), 224);

        assertThat(decoded).hasValueSatisfying(frame -> {
            assertThat(frame.pixels().getWidth()).isEqualTo(450);
            assertThat(frame.pixels().getHeight()).isEqualTo(350);
            assertThat(frame.scale()).isEqualTo(2);
        });
        assertThat(checked).containsExactly(900, 700);
        DecodedImage draft = fast.draft(224).decode(jpeg);
        assertThat(draft.rgb().getWidth()).isEqualTo(450);
        assertThat(draft.width()).as("the image's own size is recorded").isEqualTo(900);
        assertThat(draft.draft()).isTrue();
        assertThat(fast.draft(0).decode(jpeg).rgb().getWidth()).as("draft 0 is off").isEqualTo(900);
        assertThat(fast.draft(0)).as("no new decoder for the setting it has").isSameAs(fast);
    }

    @Test
    void appliesExifOrientationAfterADraftDecode() throws Exception {
        byte[] rotated = TestImages.fixture("quadrants-exif-6.jpg");

        DecodedImage image = fast.draft(4).decode(rotated);

        assertThat(image.rgb().getWidth()).as("16x8 stored, halved, turned").isEqualTo(4);
        assertThat(image.rgb().getHeight()).isEqualTo(8);
        assertThat(image.width()).isEqualTo(8);
        assertThat(image.height()).isEqualTo(16);
    }

    @Test
    void appliesExifOrientationToTurboDecodedPixels() throws Exception {
        byte[] rotated = TestImages.fixture("quadrants-exif-6.jpg");

        DecodedImage image = fast.decode(rotated);

        assertThat(image.width()).isEqualTo(8);
        assertThat(image.height()).isEqualTo(16);
        assertThat(RgbImages.pixels(image.rgb())).containsExactly(RgbImages.pixels(imageIo.decode(rotated).rgb()));
    }

    @Test
    void fallsBackToImageIoWhenTheLibraryIsMissing() throws Exception {
        // given
        Optional<TurboJpeg> missing = TurboJpeg.load("libturbojpeg-not-installed.so.0");
        ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults(), PREFIX, missing);
        byte[] jpeg = jpeg(photo(), false);

        // when
        DecodedImage image = decoder.decode(jpeg);

        // then
        assertThat(missing).isEmpty();
        assertThat(image.format()).isEqualTo("jpeg");
        assertThat(maxChannelDiff(image.rgb(), fast.decode(jpeg).rgb())).isLessThanOrEqualTo(1);
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRejected(byte[] bytes,
            RejectReason reason) {
        return assertThatThrownBy(() -> fast.decode(bytes)).isInstanceOfSatisfying(ImageRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static BufferedImage photo() throws IOException {
        return ImageIO.read(new ByteArrayInputStream(TestImages.fixture("photo-lossy.pil.png")));
    }

    private static byte[] jpeg(BufferedImage image, boolean progressive) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** Rewrites the height and width of the first SOF0 (baseline frame) header. */
    private static byte[] claimingSize(byte[] jpeg, int width, int height) {
        for (int i = 2; i + 8 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC0) {
                jpeg[i + 5] = (byte) (height >> 8);
                jpeg[i + 6] = (byte) height;
                jpeg[i + 7] = (byte) (width >> 8);
                jpeg[i + 8] = (byte) width;
                return jpeg;
            }
        }
        throw new IllegalArgumentException("no baseline frame header");
    }

    private static int maxChannelDiff(BufferedImage a, BufferedImage b) {
        assertThat(a.getWidth()).isEqualTo(b.getWidth());
        assertThat(a.getHeight()).isEqualTo(b.getHeight());
        return TestImages.channelDiffs(RgbImages.pixels(a), RgbImages.pixels(b)).max().orElseThrow();
    }

    private static int[] filled(int length, int value) {
        int[] values = new int[length];
        Arrays.fill(values, value);
        return values;
    }
}
