package dev.aidetect.tools.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.tools.bench.BenchImages;
import dev.aidetect.tools.dataset.LabelledImage;

/**
 * The images {@code chaos} cycles through: small labelled ones (CIFAKE's 32 px JPEGs by default, labelled by their
 * {@code real/} and {@code fake/} folders) and phone-size photos ({@link BenchImages}' photos at a 12 MP size, real).
 *
 * @param small the small images
 * @param phone the phone-size photos; empty where the machine has no source photos
 */
public record ChaosImages(List<Image> small, List<Image> phone) {
    /** The long side of the phone-size photos: a 12 MP 4:3 phone camera's. */
    public static final int PHONE_LONG_SIDE = 4032;

    /** One distinct image, as submitted. */
    public record Image(String name, byte[] bytes, String contentType, ImageLabel label, boolean phone) {
    }

    public ChaosImages {
        small = List.copyOf(small);
        phone = List.copyOf(phone);
    }

    /**
     * @param smallDir a folder of labelled images ({@code real/}, {@code fake/...})
     * @param phoneDir where the phone-size photos are written once
     * @param withPhones whether phone-size photos are wanted at all
     */
    public static ChaosImages load(Path smallDir, Path phoneDir, boolean withPhones) {
        if (!Files.isDirectory(smallDir)) {
            throw new IllegalArgumentException("no folder of small images at " + smallDir.toAbsolutePath()
                    + ": place CIFAKE's dev sample there (../shared/data/cifake-dev) or pass --small-images");
        }
        List<Image> small = new ArrayList<>();
        for (LabelledImage image : LabelledImage.collect(List.of(smallDir))) {
            small.add(new Image(image.file().getFileName().toString(), read(image.file()),
                    contentType(image.file()), image.label(), false));
        }
        if (small.isEmpty()) {
            throw new IllegalArgumentException("no images in " + smallDir.toAbsolutePath());
        }
        List<Image> phone = new ArrayList<>();
        if (withPhones) {
            ImageLabel real = new ImageLabel(Authenticity.REAL, null, null, "bench-photos");
            for (Path file : BenchImages.ensure(phoneDir, null, PHONE_LONG_SIDE)) {
                phone.add(new Image(file.getFileName().toString(), read(file), "image/jpeg", real, true));
            }
        }
        return new ChaosImages(small, phone);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String contentType(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            return "image/png";
        }
        return name.endsWith(".webp") ? "image/webp" : "image/jpeg";
    }

    /**
     * Image {@code i} of a run: phone-size at the given share, spread evenly; the rest small, in turn.
     */
    Image pick(int i, double phoneShare) {
        boolean isPhone = !phone.isEmpty() && Math.floor((i + 1) * phoneShare) > Math.floor(i * phoneShare);
        if (isPhone) {
            return phone.get((int) Math.floor(i * phoneShare) % phone.size());
        }
        return small.get(i % small.size());
    }
}
