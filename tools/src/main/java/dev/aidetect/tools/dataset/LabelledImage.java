package dev.aidetect.tools.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.ImageLabel;

/**
 * An image file and the ground truth its folder names give: {@code .../real/...} is real,
 * {@code .../fake/<family>/<generator>/...} is a fake of that family and generator; anything else is unlabelled.
 */
public record LabelledImage(Path file, ImageLabel label) {
    /** Every regular file under the paths (files are taken as they are), sorted, with its label. */
    public static List<LabelledImage> collect(List<Path> paths) {
        List<LabelledImage> images = new ArrayList<>();
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw new IllegalArgumentException("no such file or directory: " + path.toAbsolutePath());
            }
            Path root = Files.isDirectory(path) ? path : path.getParent();
            try (Stream<Path> files = Files.isDirectory(path) ? Files.walk(path) : Stream.of(path)) {
                files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                        .sorted().forEach(f -> images.add(new LabelledImage(f, labelOf(root, f))));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + path + ": " + e.getMessage(), e);
            }
        }
        return images;
    }

    /** The label the folders between root and file give, or {@code null}. */
    static ImageLabel labelOf(Path root, Path file) {
        Path relative = root == null ? file : root.toAbsolutePath().relativize(file.toAbsolutePath());
        List<String> parts = new ArrayList<>();
        relative.forEach(p -> parts.add(p.toString()));
        String dataset = root == null || root.toAbsolutePath().getFileName() == null
                ? null
                : root.toAbsolutePath().getFileName().toString();
        for (int i = parts.size() - 2; i >= 0; i--) {
            if (parts.get(i).equals("real")) {
                return new ImageLabel(Authenticity.REAL, null, null, dataset);
            }
            if (parts.get(i).equals("fake")) {
                String family = i + 1 < parts.size() - 1 ? parts.get(i + 1) : null;
                String generator = i + 2 < parts.size() - 1 ? parts.get(i + 2) : null;
                return new ImageLabel(Authenticity.FAKE, family, generator, dataset);
            }
        }
        return null;
    }
}
