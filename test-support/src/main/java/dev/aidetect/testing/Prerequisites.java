package dev.aidetect.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * Assumptions with one message shape, {@code <what> is missing: <how to get it>}, so the line {@link NoSilentSkips}
 * prints for a skip (and the failure it raises under {@code CI=true}) tells the reader what to install or place. The
 * prerequisites several modules share are named here once, with the command that provides them.
 */
public final class Prerequisites {

    private Prerequisites() {
    }

    /** Skips the calling test (fails it under {@code CI=true}) unless {@code present}. */
    public static void require(boolean present, String what, String howToGet) {
        Assumptions.assumeTrue(present, what + " is missing: " + howToGet);
    }

    /** libjpeg-turbo's library, which the imaging module loads through FFM for fast and draft JPEG decoding. */
    public static void requireLibTurboJpeg(boolean present) {
        require(present, "libturbojpeg0 (libjpeg-turbo's TurboJPEG library)", "apt-get install libturbojpeg0");
    }

    /** Debian's torch and torchvision (PIL comes with them) for {@code /usr/bin/python3}: the reference runs. */
    public static void requireDebianTorch(boolean present) {
        require(present, "a /usr/bin/python3 with torch and torchvision (Debian's python3-torch, python3-torchvision)",
                "apt-get install python3-torch python3-torchvision");
    }

    /** scikit-image's sample photos, real photos of several sizes and formats. */
    public static void requireSkimagePhotos(boolean present) {
        require(present, "scikit-image's sample data", "apt-get install python3-skimage");
    }
}
