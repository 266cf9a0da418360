package dev.aidetect.classifier.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.aidetect.imaging.Jpegs;
import dev.aidetect.imaging.decode.DecodeLimits;
import dev.aidetect.imaging.decode.DecodedImage;
import dev.aidetect.imaging.decode.ImageDecoder;
import dev.aidetect.imaging.decode.ImageRejectedException;
import dev.aidetect.imaging.decode.JpegDecoder;
import dev.aidetect.imaging.encoder.PreprocessMode;
import dev.aidetect.imaging.encoder.Preprocessor;
import dev.aidetect.testing.Prerequisites;

/**
 * Not a test: prints what decoding a 12 MP phone JPEG costs on this machine, to decide where attribution's
 * native-resolution pixels come from (classifier-service README, "Where attribution gets its pixels"). The classifier
 * decodes the full image of each image it attributes (the fakes only); the alternative, the embedder cutting the crops
 * for every image, needs a full decode of every image, because the embedder's draft mode decodes a big JPEG at 1/8 and
 * so never has native pixels. Run it by name, nothing else in the build does:
 *
 * <pre>
 * ./mvnw -B -ntp -o -pl classifier-service -am test -Dtest=DecodeCostBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class DecodeCostBenchmark {
    private static final int WIDTH = 4000;
    private static final int HEIGHT = 3000;
    private static final int RUNS = 15;
    /** The encoder input size the embedder's draft mode keeps both sides at least as large as. */
    private static final int CLIP_SIDE = 224;
    /** The attribution networks' crop (the demo's; the heads module's default). */
    private static final int CROP = 64;

    @Test
    void printsTheDecodeCostsOfA12MegapixelJpeg() throws Exception {
        PrintStream out = System.out;
        byte[] jpeg = phonePhoto();
        DecodeLimits limits = DecodeLimits.defaults();
        ImageDecoder imageIo = new ImageDecoder(limits, "bench", JpegDecoder.IMAGEIO);
        out.printf(Locale.ROOT,
                "%n%d x %d JPEG (quality 0.9), %.1f MiB, median of %d decodes after %d warm-up, %d cores%n",
                WIDTH, HEIGHT, jpeg.length / (1024.0 * 1024.0), RUNS, 3, Runtime.getRuntime().availableProcessors());
        double imageIoFull = time(() -> imageIo.decode(jpeg));
        out.printf(Locale.ROOT, "  full decode, ImageIO          %7.1f ms%n", imageIoFull);
        Prerequisites.requireLibTurboJpeg(new ImageDecoder(limits).jpegDecoder() == JpegDecoder.LIBJPEG_TURBO);
        ImageDecoder turbo = new ImageDecoder(limits, "bench", JpegDecoder.LIBJPEG_TURBO);
        ImageDecoder draft = turbo.draft(CLIP_SIDE);
        double turboFull = time(() -> turbo.decode(jpeg));
        DecodedImage drafted = draft.decode(jpeg);
        double turboDraft = time(() -> draft.decode(jpeg));
        DecodedImage full = turbo.decode(jpeg);
        double crops = time(() -> fiveCrops(full.rgb()));
        out.printf(Locale.ROOT, "  full decode, libjpeg-turbo    %7.1f ms%n", turboFull);
        out.printf(Locale.ROOT, "  draft decode 1/%d (%dx%d)   %7.1f ms   (the embedder with draft-decode=true)%n",
                drafted.scale(), drafted.rgb().getWidth(), drafted.rgb().getHeight(), turboDraft);
        out.printf(Locale.ROOT, "  cut five %d px crops           %7.3f ms%n", CROP, crops);
        Preprocessor clip = new Preprocessor(PreprocessMode.CLIP, CLIP_SIDE, List.of(0.48f, 0.46f, 0.41f),
                List.of(0.27f, 0.26f, 0.28f));
        float[] tensor = new float[clip.floatsPerImage()];
        double resizeFull = time(() -> clip.preprocess(full.rgb(), tensor, 0));
        double resizeDraft = time(() -> clip.preprocess(drafted.rgb(), tensor, 0));
        out.printf(Locale.ROOT, "  CLIP resize to %d of the full decode %6.1f ms, of the draft %.1f ms (the embedder's "
                + "next step)%n", CLIP_SIDE, resizeFull, resizeDraft);
        out.printf(Locale.ROOT, "per submitted image, with a share f of fakes (libjpeg-turbo):%n");
        out.printf(Locale.ROOT,
                "  claim check: embedder draft + classifier full decode of each fake = %.1f + f x %.1f ms%n",
                turboDraft, turboFull);
        out.printf(Locale.ROOT, "  embedder cuts crops: draft + a second, full decode of every image = %.1f + %.1f ms"
                + " (or %.1f ms with draft off)%n", turboDraft, turboFull + crops, turboFull + crops);
        for (double f : new double[]{0.05, 0.5, 1.0}) {
            out.printf(Locale.ROOT, "    f = %.2f: claim check %.1f ms, crops in the embedder %.1f ms%n", f,
                    turboDraft + f * turboFull, turboDraft + turboFull + crops);
        }
    }

    private static double time(Decode decode) throws ImageRejectedException {
        for (int i = 0; i < 3; i++) {
            decode.run();
        }
        double[] millis = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            decode.run();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return millis[RUNS / 2];
    }

    @FunctionalInterface
    private interface Decode {
        void run() throws ImageRejectedException;
    }

    /** The centre and four corner crops, copied out as an embedder would before publishing them. */
    private static BufferedImage[] fiveCrops(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[][] corners = {{(w - CROP) / 2, (h - CROP) / 2}, {0, 0}, {w - CROP, 0}, {0, h - CROP},
                {w - CROP, h - CROP}};
        BufferedImage[] crops = new BufferedImage[corners.length];
        for (int i = 0; i < corners.length; i++) {
            crops[i] = new BufferedImage(CROP, CROP, BufferedImage.TYPE_INT_RGB);
            crops[i].setRGB(0, 0, CROP, CROP, image.getRGB(corners[i][0], corners[i][1], CROP, CROP, null, 0, CROP),
                    0, CROP);
        }
        return crops;
    }

    /**
     * A photo-like 12 MP JPEG: smooth shapes and gradients with sensor-like noise, about the size a phone writes
     * (3-6 MiB at quality 0.9); noise alone would make an unusually large, slow file.
     */
    private static byte[] phonePhoto() throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        SplittableRandom random = new SplittableRandom(13);
        int[] row = new int[WIDTH];
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                double u = x / (double) WIDTH;
                double v = y / (double) HEIGHT;
                double shade = 0.5 + 0.25 * Math.sin(7 * u + 3 * v) + 0.2 * Math.cos(11 * v * u + 2);
                boolean disc = Math.hypot(u - 0.6, v - 0.45) < 0.2;
                int r = channel(255 * (disc ? 0.8 : shade), random);
                int g = channel(255 * (disc ? 0.3 : shade * 0.9), random);
                int b = channel(255 * (disc ? 0.2 : 1 - shade * 0.7), random);
                row[x] = r << 16 | g << 8 | b;
            }
            image.setRGB(0, y, WIDTH, 1, row, 0, WIDTH);
        }
        return Jpegs.encode(image, 0.9f);
    }

    private static int channel(double value, SplittableRandom random) {
        return (int) Math.max(0, Math.min(255, value + random.nextGaussian() * 9));
    }
}
