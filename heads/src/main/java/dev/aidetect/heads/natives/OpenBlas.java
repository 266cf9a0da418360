package dev.aidetect.heads.natives;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.aidetect.common.LoadedLibraries;

/**
 * Makes OpenBLAS available to Smile before Smile's first matrix operation, on any Linux x86-64 machine. Smile 6 binds
 * BLAS and LAPACK through the FFM API by library name: it asks the dynamic linker for {@code libopenblas.so} (Java
 * properties {@code smile.lib.blas} and {@code smile.lib.lapack}, default {@code openblas}), a name only Debian's
 * {@code libopenblas-dev} provides. When the linker finds it, that system library is used. Otherwise the OpenBLAS
 * that Maven Central ships ({@code org.bytedeco:openblas}, classifier {@code linux-x86_64}, on the classpath of every
 * process that uses Smile) is extracted once into a cache folder ({@link #cacheRoot()}) and loaded from there with the
 * shared-object name {@code libopenblas.so}, so Smile's lookup by that name finds the library already loaded.
 *
 * <p>
 * {@code -Daidetect.openblas=bundled} uses the bundled copy even where the system has one (one OpenBLAS on every
 * machine); the default {@code auto} prefers the system's.
 *
 * <p>
 * Every entry point of this module that reaches Smile calls {@link #ensureLoaded()} first (in a static initialiser);
 * it is idempotent and cheap after the first call.
 */
public final class OpenBlas {
    /** Where the library came from and the file the process mapped. */
    public record Loaded(String source, Path path) {
        @Override
        public String toString() {
            return source + " " + path;
        }
    }

    static final String RESOURCE_DIR = "org/bytedeco/openblas/linux-x86_64/";
    private static final String BUNDLED_POM = "META-INF/maven/org.bytedeco/openblas/pom.properties";
    /** The library and what it needs at run time (its RUNPATH is {@code $ORIGIN}, so they sit beside it). */
    private static final List<String> BUNDLED_FILES = List.of("libopenblas.so.0", "libgfortran.so.5",
            "libquadmath.so.0", "libgcc_s.so.1");
    private static final String BUNDLED_SONAME = "libopenblas.so.0";
    static final String INSTALL_HINT = "install OpenBLAS with the unversioned library name (Debian/Ubuntu: apt-get "
            + "install libopenblas-dev; Fedora: dnf install openblas-devel) or run on Linux x86-64, where the "
            + "project bundles it from Maven Central";

    private static final System.Logger LOG = System.getLogger(OpenBlas.class.getName());
    private static Loaded loaded;

    private OpenBlas() {
    }

    /**
     * Loads OpenBLAS for Smile: the system's when the linker finds the name Smile asks for, else the bundled copy.
     *
     * @throws NativeLibraryMissingException when neither can be loaded; its message says what to install
     */
    public static synchronized Loaded ensureLoaded() {
        if (loaded == null) {
            loaded = load();
            LOG.log(System.Logger.Level.INFO, "OpenBLAS for Smile: {0}", loaded);
        }
        return loaded;
    }

    private static Loaded load() {
        String blas = System.mapLibraryName(System.getProperty("smile.lib.blas", "openblas"));
        String lapack = System.mapLibraryName(System.getProperty("smile.lib.lapack", "openblas"));
        boolean bundledOnly = "bundled".equals(System.getProperty("aidetect.openblas", "auto"));
        if (!bundledOnly && opens(blas) && opens(lapack)) {
            return new Loaded("system", mappedFile(blas).orElse(Path.of(blas)));
        }
        String wanted = blas.equals(lapack) ? blas : blas + " and " + lapack;
        if (!blas.equals("libopenblas.so") || !lapack.equals("libopenblas.so")) {
            String failing = Stream.of(blas, lapack).distinct().filter(name -> !opens(name))
                    .collect(Collectors.joining(" and "));
            throw new NativeLibraryMissingException("OpenBLAS for Smile is missing: the dynamic linker cannot open "
                    + failing + " (named by smile.lib.blas/smile.lib.lapack): " + INSTALL_HINT);
        }
        if (OpenBlas.class.getClassLoader().getResource(RESOURCE_DIR + BUNDLED_SONAME) == null) {
            throw new NativeLibraryMissingException("OpenBLAS for Smile is missing: the dynamic linker cannot open "
                    + wanted + " and this process has no bundled copy for " + System.getProperty("os.name") + "/"
                    + System.getProperty("os.arch") + ": " + INSTALL_HINT);
        }
        Path library = extractBundled();
        try {
            SymbolLookup.libraryLookup(library, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new NativeLibraryMissingException("OpenBLAS for Smile could not be loaded from " + library + " ("
                    + e.getMessage() + "): delete " + library.getParent() + " to extract it again, or "
                    + INSTALL_HINT, e);
        }
        if (!opens(blas)) {
            throw new NativeLibraryMissingException("OpenBLAS loaded from " + library + " but the dynamic linker does "
                    + "not give it for the name " + blas + ": " + INSTALL_HINT);
        }
        return new Loaded("bundled", library);
    }

    private static boolean opens(String name) {
        try {
            SymbolLookup.libraryLookup(name, Arena.global());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Extracts the bundled library into {@code <cache>/openblas-<version>}, once: files already there with the same
     * size are reused. Concurrent processes each write a temporary file and move it into place atomically.
     */
    private static Path extractBundled() {
        Path dir = cacheRoot().resolve("openblas-" + bundledVersion());
        try {
            Files.createDirectories(dir);
            for (String file : BUNDLED_FILES) {
                extract(RESOURCE_DIR + file, dir.resolve(file));
            }
            Path library = dir.resolve("libopenblas.so");
            if (!Files.exists(library) || Files.size(library) != Files.size(dir.resolve(BUNDLED_SONAME))) {
                Path temp = Files.createTempFile(dir, "libopenblas.so.", ".tmp");
                Files.copy(dir.resolve(BUNDLED_SONAME), temp, StandardCopyOption.REPLACE_EXISTING);
                ElfSoname.rename(temp, BUNDLED_SONAME, "libopenblas.so");
                Files.move(temp, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return library;
        } catch (IOException e) {
            throw new NativeLibraryMissingException("cannot extract the bundled OpenBLAS into " + dir + " ("
                    + e.getMessage() + "): make it writable, point -Daidetect.natives.dir at a writable folder, or "
                    + INSTALL_HINT, e);
        }
    }

    private static void extract(String resource, Path target) throws IOException {
        URL url = OpenBlas.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IOException("resource " + resource + " is not on the classpath");
        }
        URLConnection connection = url.openConnection();
        if (Files.exists(target) && Files.size(target) == connection.getContentLengthLong()) {
            return;
        }
        try (InputStream in = connection.getInputStream()) {
            Path temp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".tmp");
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * The folder native libraries are extracted to: {@code -Daidetect.natives.dir}, else
     * {@code $XDG_CACHE_HOME/aidetect/natives}, else {@code ~/.cache/aidetect/natives}.
     */
    static Path cacheRoot() {
        String configured = System.getProperty("aidetect.natives.dir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("aidetect").resolve("natives");
    }

    private static String bundledVersion() {
        try (InputStream in = OpenBlas.class.getClassLoader().getResourceAsStream(BUNDLED_POM)) {
            if (in == null) {
                return "unknown";
            }
            Properties pom = new Properties();
            pom.load(in);
            return pom.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file the process mapped for {@code name} ({@code libopenblas.so}). */
    private static Optional<Path> mappedFile(String name) {
        return LoadedLibraries.find(name.toLowerCase(Locale.ROOT).replaceFirst("\\.so$", ""));
    }
}
