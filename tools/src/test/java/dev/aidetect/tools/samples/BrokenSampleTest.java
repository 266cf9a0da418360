package dev.aidetect.tools.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;

/**
 * The broken files of the demo and the end-to-end test, byte by byte. That the decoder rejects each with its expected
 * reason is {@code SampleSetWriterTest}'s.
 */
class BrokenSampleTest {
    private static final byte[] JPEG = jpeg();

    @Test
    void everyBrokenFileHasItsOwnName() {
        assertThat(Arrays.stream(BrokenSample.values()).map(BrokenSample::fileName)).doesNotHaveDuplicates();
    }

    @Test
    void theBombIsAValidPngHeaderClaimingTenBillionPixels() {
        byte[] png = BrokenSample.PIXEL_BOMB_PNG.bytes(JPEG);
        ByteBuffer buffer = ByteBuffer.wrap(png);

        assertThat(Arrays.copyOf(png, 8)).containsExactly(0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n');
        buffer.position(8);
        assertThat(buffer.getInt()).as("IHDR length").isEqualTo(13);
        byte[] chunk = new byte[17];
        buffer.get(chunk);
        assertThat(new String(chunk, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("IHDR");
        assertThat(ByteBuffer.wrap(chunk, 4, 8).getInt()).isEqualTo(100_000);
        assertThat(ByteBuffer.wrap(chunk, 8, 4).getInt()).isEqualTo(100_000);
        CRC32 crc = new CRC32();
        crc.update(chunk);
        assertThat(buffer.getInt()).as("a correct CRC, so only the size can be refused")
                .isEqualTo((int) crc.getValue());
        assertThat(buffer.hasRemaining()).as("no pixel data").isFalse();
    }

    @Test
    void theTruncatedJpegIsTheStartOfTheJpegGiven() {
        byte[] truncated = BrokenSample.TRUNCATED_JPEG.bytes(JPEG);

        assertThat(truncated).hasSize(JPEG.length * 2 / 5);
        assertThat(truncated).isEqualTo(Arrays.copyOf(JPEG, truncated.length));
    }

    @Test
    void theTextFilesAreTextAndTheEmptyFileIsEmpty() {
        assertThat(new String(BrokenSample.HTML_AS_JPEG.bytes(JPEG), StandardCharsets.UTF_8))
                .startsWith("<!DOCTYPE html>");
        assertThat(BrokenSample.HTML_AS_JPEG.fileName()).endsWith(".jpg");
        assertThat(new String(BrokenSample.SVG_DRAWING.bytes(JPEG), StandardCharsets.UTF_8)).contains("<svg");
        assertThat(BrokenSample.EMPTY_FILE.bytes(JPEG)).isEmpty();
    }

    private static byte[] jpeg() {
        try {
            return SampleSetWriter.encode(SceneRenderer.toImage(SyntheticGenerator.REAL.render(
                    new java.util.SplittableRandom(1), 32)), "jpg");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
