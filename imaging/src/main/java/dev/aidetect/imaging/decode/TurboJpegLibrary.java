package dev.aidetect.imaging.decode;

import java.nio.file.Path;
import java.util.Optional;

import dev.aidetect.common.LoadedLibraries;

/**
 * Whether this machine has libjpeg-turbo's TurboJPEG library, which {@link ImageDecoder} needs to decode JPEG as PIL
 * does, and where the process loaded it from. A prerequisite the project cannot bring from Maven Central: the embedder
 * refuses to start without it unless {@code aidetect.embedder.jpeg-decoder=imageio} chooses the JDK's reader.
 */
public final class TurboJpegLibrary {
    /** The file name the dynamic linker is asked for. */
    public static final String LIBRARY = TurboJpeg.LIBRARY;
    /** What to install, in one line. */
    public static final String INSTALL_HINT = "apt-get install libturbojpeg0 (Debian/Ubuntu; Fedora/RHEL: dnf install "
            + "turbojpeg)";

    private TurboJpegLibrary() {
    }

    /** Whether the library loads in this process (honours {@code -Daidetect.imaging.jpeg-decoder=imageio}). */
    public static boolean available() {
        return TurboJpeg.system().isPresent();
    }

    /** The library file this process mapped, or empty when it is not available. */
    public static Optional<Path> locate() {
        if (!available()) {
            return Optional.empty();
        }
        return Optional.of(LoadedLibraries.find("libturbojpeg").orElse(Path.of(LIBRARY)));
    }

    /**
     * The one-line note for work that goes on without the library ({@code what}: "this local run", "training"):
     * empty when the library is there.
     */
    public static Optional<String> fallbackNote(String what) {
        if (available()) {
            return Optional.empty();
        }
        return Optional.of("note: " + LIBRARY + " is not installed, so " + what + " decodes JPEG with the JDK's "
                + "reader (pixels can differ from PIL's): " + INSTALL_HINT);
    }

    /** The one-line refusal for a process that was asked for libjpeg-turbo without it being installed. */
    public static String missing(String setting) {
        return "libjpeg-turbo's TurboJPEG library (" + LIBRARY + ") is missing, so JPEG cannot be decoded with PIL's "
                + "exact pixels: " + INSTALL_HINT + ", or set " + setting + "=imageio to decode JPEG with the JDK's "
                + "reader (its pixels can differ from PIL's; each embedding records its decoder)";
    }
}
