package dev.aidetect.tools.bench;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
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

import javax.imageio.ImageIO;

import dev.aidetect.common.MoreFiles;
import dev.aidetect.imaging.Jpegs;
import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.tools.dataset.LabelledImage;
import dev.aidetect.tools.samples.SampleSetWriter;
import dev.aidetect.tools.samples.SyntheticGenerator;

/**
 * The images {@code bench pipeline} submits: two sets of eight, each half real and half fake of both families, from the
 * project's synthetic generators with fixed seeds. <em>Small</em> images are the generators' 224 px output as the demo
 * submits it (real JPEG, fake PNG; one of each generator). <em>Phone</em> images are 4:3 JPEGs of 3-12 MP (by default)
 * made from 224 px renders so that every stage sees the render as it was made ({@link #phoneSized}), with grain so they
 * compress like photos (0.8-3.3 MB). Their fakes are renders the demo models call FAKE at phone size, of the right
 * family ({@link #PHONE_FAKES}), so that they go down the whole hierarchy. Written once into a folder whose stamp
 * records how; a change of sizes or of this class's settings writes them again.
 */
final class PipelineImages {
    /** The side of the small images: the demo models' training size. */
    static final int SMALL_SIDE = 224;
    private static final long SEED = 2025;
    private static final int REALS_PER_SET = 4;
    /** The generators in the order fakes take turns among the images (families alternate). */
    private static final List<SyntheticGenerator> FAKES = List.of(SyntheticGenerator.UPCONV_GAN,
            SyntheticGenerator.LATENT_DIFFUSION, SyntheticGenerator.PIXELSHUFFLE_GAN,
            SyntheticGenerator.CASCADE_DIFFUSION);
    /** Renders per generator the phone fakes are chosen from (seed {@code SEED + 100}, after 4 reals with SEED). */
    private static final int PHONE_CANDIDATES = 6;
    /**
     * The phone set's fakes. Made phone-size, the demo models call most renders of two generators FAKE with the right
     * family (the others' finer patterns do not survive the encoder's resize): of the 6 candidates of each, at 3 and
     * 12 MP, upconv-gan 12 of 12 (FAKE 0.51-0.99, gan 0.82-0.99), latent-diffusion 11 of 12, pixelshuffle-gan 4 of 12
     * with the right family, cascade-diffusion 4 of 12; the 4 reals REAL (0.01-0.05) at both sizes. These four were
     * FAKE at 0.66-0.99 at both sizes and attributed to their generator at 3 MP. The demo models are trained
     * deterministically; if they change, the finals-by-kind line of the report shows phone fakes not called FAKE.
     */
    static final List<String> PHONE_FAKES = List.of("upconv-gan-0002", "upconv-gan-0003", "latent-diffusion-0003",
            "latent-diffusion-0004");
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
        String stamp = "pipeline images v2, phone fakes " + PHONE_FAKES + ", seed " + SEED + ", small " + SMALL_SIDE
                + " px, phone " + phoneMegapixels
                + " MP, grain " + GRAIN + ", quality " + QUALITY;
        Path stampFile = dir.resolve("STAMP");
        try {
            if (!Files.exists(stampFile) || !Files.readString(stampFile).equals(stamp)) {
                MoreFiles.deleteRecursively(dir);
                log.printf("  writing the benchmark images to %s (phone sizes %s MP; once)%n", dir, phoneMegapixels);
                render(dir.resolve("small"), FAKES, 1);
                Path phoneSources = dir.resolve("phone-sources");
                render(phoneSources, FAKES.stream().sorted(Comparator.comparing(Enum::ordinal)).toList(),
                        PHONE_CANDIDATES);
                List<LabelledImage> chosen = LabelledImage.collect(List.of(phoneSources)).stream()
                        .filter(i -> i.label().getAuthenticity() == Authenticity.REAL
                                || PHONE_FAKES.contains(baseName(i.file())))
                        .toList();
                enlarge(interleaved(chosen), dir.resolve("phone"), phoneMegapixels);
                MoreFiles.deleteRecursively(phoneSources);
                Files.writeString(stampFile, stamp);
            }
            return new Sets(load(dir.resolve("small"), false), load(dir.resolve("phone"), true));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the benchmark images in " + dir + ": " + e.getMessage()
                    + "; check the folder is writable or pass another --work-dir", e);
        }
    }

    /** Four reals and {@code perGenerator} images of each generator, 224 px, in the sample set's folder layout. */
    private static void render(Path dir, List<SyntheticGenerator> generators, int perGenerator) {
        SampleSetWriter.write(dir, List.of(SyntheticGenerator.REAL), REALS_PER_SET, SMALL_SIDE, SEED, false, n -> {
        });
        SampleSetWriter.write(dir, generators, perGenerator, SMALL_SIDE, SEED + 100, false, n -> {
        });
    }

    private static String baseName(Path file) {
        return file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
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

    /** Reals and fakes alternating; the fakes take turns by generator in {@link #FAKES}' order (families alternate). */
    static List<LabelledImage> interleaved(List<LabelledImage> images) {
        List<LabelledImage> reals = images.stream().filter(i -> i.label().getAuthenticity() == Authenticity.REAL)
                .sorted(Comparator.comparing(LabelledImage::file)).toList();
        List<List<LabelledImage>> byGenerator = FAKES.stream().map(g -> images.stream()
                .filter(i -> g.generator().equals(i.label().getGenerator()))
                .sorted(Comparator.comparing(LabelledImage::file)).toList()).toList();
        List<LabelledImage> fakes = new ArrayList<>();
        for (int round = 0; fakes.size() < byGenerator.stream().mapToInt(List::size).sum(); round++) {
            for (List<LabelledImage> generator : byGenerator) {
                if (round < generator.size()) {
                    fakes.add(generator.get(round));
                }
            }
        }
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

    /** Writes each image as a phone photo (JPEG), in the same label folders; pair k gets size k. */
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
            Files.write(folder.resolve(name), Jpegs.encode(phoneSized(image, mp, grain.split()), QUALITY));
        }
    }

    /**
     * A phone photo of the image, 4:3 at about {@code megapixels}, made so that each stage looks at the image as it
     * was made (as end-to-end's PhonePhotosByReferenceEndToEndIT makes its 12 MP fakes). The embedder resizes the whole
     * photo to a short side of 224 px and keeps the centre square: that square holds the image enlarged by nearest
     * neighbour, so the encoder sees nearly the image itself. The attribution stage crops the photo's centre at
     * native resolution: the image's own pixels sit there. Around the square, the image stretched over the frame;
     * grain over everything but those native pixels, so the file compresses like a photo.
     */
    static BufferedImage phoneSized(BufferedImage source, int megapixels, SplittableRandom rng) {
        int width = (int) Math.round(Math.sqrt(megapixels * 1e6 * 4 / 3) / 16) * 16;
        int height = width * 3 / 4;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(source, 0, 0, width, height, null);
        g.drawImage(source, (width - height) / 2, 0, height, height, null);
        int left = (width - source.getWidth()) / 2;
        int top = (height - source.getHeight()) / 2;
        g.drawImage(source, left, top, null);
        g.dispose();
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            out.getRGB(0, y, width, 1, row, 0, width);
            boolean nativeRow = y >= top && y < top + source.getHeight();
            for (int x = 0; x < width; x++) {
                if (nativeRow && x >= left && x < left + source.getWidth()) {
                    continue;
                }
                int rgb = row[x];
                row[x] = (grained((rgb >> 16) & 0xff, rng) << 16) | (grained((rgb >> 8) & 0xff, rng) << 8)
                        | grained(rgb & 0xff, rng);
            }
            out.setRGB(0, y, width, 1, row, 0, width);
        }
        return out;
    }

    private static int grained(int value, SplittableRandom rng) {
        return Math.clamp(value + rng.nextInt(2 * GRAIN + 1) + rng.nextInt(2 * GRAIN + 1) - 2 * GRAIN, 0, 255);
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
