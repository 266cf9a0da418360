package dev.aidetect.tools.bench;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import dev.aidetect.common.MoreFiles;
import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.samples.SampleSetWriter;
import dev.aidetect.tools.samples.SyntheticGenerator;

/**
 * The images {@code bench pipeline} submits: two sets of eight, each half real and half fake (one of each stand-in
 * generator: two GAN, two diffusion), from the project's synthetic generators with a fixed seed. <em>Small</em> images
 * are the generators' 224 px output as the demo submits it (real JPEG, fake PNG). <em>Phone</em> images are other
 * renders of the same sources, cropped to 4:3, enlarged to phone-camera sizes (3-12 MP by default) with a bicubic
 * filter, given sensor-like grain (so they compress like photos: 0.8-3.3 MB) and saved as JPEG at quality 90.
 * Enlarging keeps what the encoder sees (it shrinks the image back to 224 px), so the fakes take the same path down the
 * hierarchy as small ones; the attribution stage decodes and crops them at full size. Written once into a folder
 * whose stamp records how; a change of sizes or seed writes them again.
 */
final class PipelineImages {
    /** The side of the small images: the demo models' training size. */
    static final int SMALL_SIDE = 224;
    private static final long SEED = 2025;
    private static final int REALS_PER_SET = 4;
    /** Fakes in the order submissions interleave them with reals: families alternate. */
    private static final List<SyntheticGenerator> FAKES = List.of(SyntheticGenerator.UPCONV_GAN,
            SyntheticGenerator.LATENT_DIFFUSION, SyntheticGenerator.PIXELSHUFFLE_GAN,
            SyntheticGenerator.CASCADE_DIFFUSION);
    /**
     * Per-channel grain: the sum of two uniform draws in [-GRAIN, GRAIN], a standard deviation of about 8 levels, as a
     * phone camera's noise at indoor ISO. It makes a 12 MP JPEG about 3.3 MB, 3 MP about 0.8 MB (without it, 1.5 and
     * 0.4 MB: smooth enlargements compress far better than photos).
     */
    private static final int GRAIN = 10;
    private static final float QUALITY = 0.9f;

    /** One distinct image: its bytes as submitted, and what it is. */
    record Image(String name, byte[] bytes, String contentType, ImageLabel label, boolean phone) {
        boolean fake() {
            return label.getAuthenticity() == Authenticity.FAKE;
        }
    }

    /** The two sets: each alternates real and fake, so any stretch of submissions is about half fakes. */
    record Sets(List<Image> small, List<Image> phone) {
        /** Mean size in bytes of a set's images. */
        static long meanBytes(List<Image> images) {
            return Math.round(images.stream().mapToLong(i -> i.bytes().length).average().orElse(0));
        }
    }

    private PipelineImages() {
    }

    /**
     * The sets in {@code dir}, written first when missing or made with other settings.
     *
     * @param phoneMegapixels the phone images' sizes in megapixels, taken in turn by real/fake pairs
     */
    static Sets ensure(Path dir, List<Integer> phoneMegapixels, PrintWriter log) {
        String stamp = "pipeline images v1, seed " + SEED + ", small " + SMALL_SIDE + " px, phone " + phoneMegapixels
                + " MP, grain " + GRAIN + ", quality " + QUALITY;
        Path stampFile = dir.resolve("STAMP");
        try {
            if (!Files.exists(stampFile) || !Files.readString(stampFile).equals(stamp)) {
                MoreFiles.deleteRecursively(dir);
                log.printf("  writing the benchmark images to %s (phone sizes %s MP; once)%n", dir, phoneMegapixels);
                render(dir.resolve("small"), SEED);
                Path phoneSources = dir.resolve("phone-sources");
                render(phoneSources, SEED + 1);
                enlarge(interleaved(LabelledImage.collect(List.of(phoneSources))), dir.resolve("phone"),
                        phoneMegapixels);
                MoreFiles.deleteRecursively(phoneSources);
                Files.writeString(stampFile, stamp);
            }
            return new Sets(load(dir.resolve("small"), false), load(dir.resolve("phone"), true));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the benchmark images in " + dir + ": " + e.getMessage()
                    + "; check the folder is writable or pass another --work-dir", e);
        }
    }

    /** Four reals and one image of each generator, 224 px, in the sample set's folder layout. */
    private static void render(Path dir, long seed) {
        SampleSetWriter.write(dir, List.of(SyntheticGenerator.REAL), REALS_PER_SET, SMALL_SIDE, seed, false, n -> {
        });
        SampleSetWriter.write(dir, FAKES, 1, SMALL_SIDE, seed + 100, false, n -> {
        });
    }

    private static List<Image> load(Path dir, boolean phone) throws IOException {
        List<Image> images = new ArrayList<>();
        for (LabelledImage image : interleaved(LabelledImage.collect(List.of(dir)))) {
            String name = image.file().getFileName().toString();
            images.add(new Image(name, Files.readAllBytes(image.file()), name.endsWith(".png")
                    ? "image/png"
                    : "image/jpeg", image.label(), phone));
        }
        return images;
    }

    /** Reals and fakes alternating, the fakes in {@link #FAKES}' order (families alternate). */
    static List<LabelledImage> interleaved(List<LabelledImage> images) {
        List<LabelledImage> reals = images.stream().filter(i -> i.label().getAuthenticity() == Authenticity.REAL)
                .sorted(Comparator.comparing(LabelledImage::file)).toList();
        List<String> order = FAKES.stream().map(SyntheticGenerator::generator).toList();
        List<LabelledImage> fakes = images.stream().filter(i -> i.label().getAuthenticity() == Authenticity.FAKE)
                .sorted(Comparator.comparing((LabelledImage i) -> order.indexOf(i.label().getGenerator()))
                        .thenComparing(LabelledImage::file))
                .toList();
        List<LabelledImage> mixed = new ArrayList<>();
        for (int i = 0; i < Math.max(reals.size(), fakes.size()); i++) {
            if (i < reals.size()) {
                mixed.add(reals.get(i));
            }
            if (i < fakes.size()) {
                mixed.add(fakes.get(i));
            }
        }
        return mixed;
    }

    /** Writes each image enlarged to a phone size as JPEG, in the same label folders; pair k gets size k. */
    private static void enlarge(List<LabelledImage> sources, Path dir, List<Integer> megapixels) throws IOException {
        SplittableRandom grain = new SplittableRandom(SEED + 2);
        for (int i = 0; i < sources.size(); i++) {
            LabelledImage source = sources.get(i);
            int mp = megapixels.get((i / 2) % megapixels.size());
            BufferedImage image = ImageIO.read(source.file().toFile());
            if (image == null) {
                throw new IOException("cannot read the rendered sample " + source.file());
            }
            ImageLabel label = source.label();
            Path folder = dir.resolve(label.getAuthenticity() == Authenticity.REAL
                    ? "real"
                    : "fake/" + label.getFamily() + "/" + label.getGenerator());
            Files.createDirectories(folder);
            String name = source.file().getFileName().toString().replaceFirst("\\.[^.]+$", "") + "-" + mp + "mp.jpg";
            Files.write(folder.resolve(name), jpeg(phoneSized(image, mp, grain.split())));
        }
    }

    /** The image cropped to 4:3 (landscape), enlarged to about {@code megapixels} and grained. */
    static BufferedImage phoneSized(BufferedImage source, int megapixels, SplittableRandom rng) {
        int width = (int) Math.round(Math.sqrt(megapixels * 1e6 * 4 / 3) / 16) * 16;
        int height = width * 3 / 4;
        int cropHeight = Math.min(source.getHeight(), source.getWidth() * 3 / 4);
        int top = (source.getHeight() - cropHeight) / 2;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(source, 0, 0, width, height, 0, top, source.getWidth(), top + cropHeight, null);
        g.dispose();
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            out.getRGB(0, y, width, 1, row, 0, width);
            for (int x = 0; x < width; x++) {
                int rgb = row[x];
                int r = grained((rgb >> 16) & 0xff, rng);
                int gr = grained((rgb >> 8) & 0xff, rng);
                int b = grained(rgb & 0xff, rng);
                row[x] = (r << 16) | (gr << 8) | b;
            }
            out.setRGB(0, y, width, 1, row, 0, width);
        }
        return out;
    }

    private static int grained(int value, SplittableRandom rng) {
        return Math.clamp(value + rng.nextInt(2 * GRAIN + 1) + rng.nextInt(2 * GRAIN + 1) - 2 * GRAIN, 0, 255);
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(QUALITY);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** "8 small (52 KB) + 8 phone (3-12 MP, 4.1 MB)": what a run submits, for the progress log. */
    static String describe(Sets sets) {
        String sizes = sets.phone().stream().map(Image::name).map(n -> n.replaceAll(".*-(\\d+)mp\\.jpg", "$1"))
                .distinct().sorted(Comparator.comparingInt(Integer::parseInt)).collect(Collectors.joining("/"));
        return String.format(Locale.ROOT, "%d small (mean %d KB) and %d phone-size (%s MP, mean %.1f MB) distinct "
                + "images, half of each fake (gan and diffusion)", sets.small().size(),
                Sets.meanBytes(sets.small()) / 1024, sets.phone().size(), sizes,
                Sets.meanBytes(sets.phone()) / 1e6);
    }
}
