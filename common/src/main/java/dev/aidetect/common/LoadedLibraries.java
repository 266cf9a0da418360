package dev.aidetect.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Which file a native library this process loaded came from, as Linux lists it in {@code /proc/self/maps}. */
public final class LoadedLibraries {
    private static final Path MAPS = Path.of("/proc/self/maps");

    private LoadedLibraries() {
    }

    /**
     * The first mapped file whose name starts with {@code stem} ({@code libopenblas}, {@code libturbojpeg}); empty when
     * none is mapped or the process cannot read its maps (not Linux).
     */
    public static Optional<Path> find(String stem) {
        return find(name -> name.startsWith(stem));
    }

    /** The first mapped file whose file name matches. */
    public static Optional<Path> find(Predicate<String> fileName) {
        if (!Files.isReadable(MAPS)) {
            return Optional.empty();
        }
        try (Stream<String> lines = Files.lines(MAPS)) {
            return lines.map(line -> line.substring(line.lastIndexOf(' ') + 1)).filter(path -> path.startsWith("/"))
                    .map(Path::of).filter(path -> path.getFileName() != null)
                    .filter(path -> fileName.test(path.getFileName().toString())).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
