package dev.aidetect.imaging;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Writes JPEGs at a chosen quality with the JDK's encoder: the sample sets, the benchmarks' images and the tests'
 * phone-size photos all make their JPEGs here, so they are encoded alike.
 */
public final class Jpegs {
    private Jpegs() {
    }

    /**
     * {@code image} as a baseline JPEG.
     *
     * @param quality 0 to 1, as {@link ImageWriteParam#setCompressionQuality} takes it (0.9: a typical camera or
     *            upload setting)
     */
    public static byte[] encode(BufferedImage image, float quality) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
