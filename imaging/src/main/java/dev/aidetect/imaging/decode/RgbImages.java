package dev.aidetect.imaging.decode;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/** Converts decoded images to 8-bit {@link BufferedImage#TYPE_INT_RGB} the way PIL's {@code convert('RGB')} does. */
public final class RgbImages {

    private RgbImages() {
    }

    /**
     * Alpha is dropped, not composited (PIL keeps the colour channels of transparent pixels as they are). Greyscale and
     * RGB samples are copied raw (the top 8 bits of 16-bit samples, as PIL keeps): {@code getRGB} would run grey
     * through the linear grey colour space and convert an embedded ICC profile (Adobe RGB, Display P3) to sRGB, which
     * PIL and torchvision never do. CMYK (the JDK reads CMYK and YCCK JPEGs into raw CMYK samples) is converted with
     * PIL's naive formula, no colour profile. An image that is already packed RGB in its own buffer is returned as is.
     */
    static BufferedImage toRgb(BufferedImage image) {
        if (ownsPackedRgbBuffer(image)) {
            return image;
        }
        int width = image.getWidth();
        int height = image.getHeight();
        BufferedImage rgb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] out = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        ColorModel model = image.getColorModel();
        int space = model.getColorSpace().getType();
        if (space == ColorSpace.TYPE_GRAY && !(model instanceof IndexColorModel)) {
            copySamples(image.getRaster(), model.getComponentSize(0), new int[]{0, 0, 0}, out);
        } else if (space == ColorSpace.TYPE_RGB && model instanceof ComponentColorModel) {
            copySamples(image.getRaster(), model.getComponentSize(0), new int[]{0, 1, 2}, out);
        } else if (space == ColorSpace.TYPE_CMYK && model instanceof ComponentColorModel
                && model.getComponentSize(0) == 8) {
            copyCmyk(image.getRaster(), out);
        } else {
            image.getRGB(0, 0, width, height, out, 0, width);
            for (int i = 0; i < out.length; i++) {
                out[i] &= 0xFFFFFF;
            }
        }
        return rgb;
    }

    /** The packed 0xRRGGBB pixels of an image, row-major; no copy for images {@link ImageDecoder} returns. */
    public static int[] pixels(BufferedImage image) {
        return ((DataBufferInt) toRgb(image).getRaster().getDataBuffer()).getData();
    }

    private static boolean ownsPackedRgbBuffer(BufferedImage image) {
        WritableRaster raster = image.getRaster();
        return image.getType() == BufferedImage.TYPE_INT_RGB && raster.getDataBuffer() instanceof DataBufferInt buffer
                && buffer.getNumBanks() == 1 && buffer.getOffset() == 0
                && buffer.getSize() == image.getWidth() * image.getHeight()
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0;
    }

    /** Packs raw samples of the given bands (red, green, blue) scaled to 8 bits. */
    private static void copySamples(Raster raster, int bits, int[] bands, int[] out) {
        int width = raster.getWidth();
        int[][] rows = new int[3][width];
        int shift = Math.max(bits - 8, 0);
        int scale = bits < 8 ? 255 / ((1 << bits) - 1) : 1;
        for (int y = 0; y < raster.getHeight(); y++) {
            for (int c = 0; c < 3; c++) {
                raster.getSamples(raster.getMinX(), raster.getMinY() + y, width, 1, bands[c], rows[c]);
            }
            for (int x = 0; x < width; x++) {
                int r = (rows[0][x] >>> shift) * scale;
                int g = (rows[1][x] >>> shift) * scale;
                int b = (rows[2][x] >>> shift) * scale;
                out[y * width + x] = r << 16 | g << 8 | b;
            }
        }
    }

    /** PIL's {@code cmyk2rgb}: {@code 255 - k} scaled down by each ink, in its integer arithmetic. */
    private static void copyCmyk(Raster raster, int[] out) {
        int width = raster.getWidth();
        int[] row = new int[4 * width];
        for (int y = 0; y < raster.getHeight(); y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, row);
            for (int x = 0; x < width; x++) {
                int notBlack = 255 - row[4 * x + 3];
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    int product = row[4 * x + c] * notBlack + 128;
                    rgb = rgb << 8 | Math.clamp(notBlack - ((product >> 8) + product >> 8), 0, 255);
                }
                out[y * width + x] = rgb;
            }
        }
    }
}
