package dev.aidetect.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** File operations the JDK has no one call for. */
public final class MoreFiles {
    private MoreFiles() {
    }

    /**
     * Deletes {@code path} and everything under it, deepest first; nothing happens when it does not exist.
     *
     * @throws UncheckedIOException naming the path that could not be deleted
     */
    public static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path + ": " + e.getMessage(), e);
        }
    }
}
