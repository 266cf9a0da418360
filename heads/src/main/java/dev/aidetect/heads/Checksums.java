package dev.aidetect.heads;

import dev.aidetect.common.Sha256;

/** Artifact versions: a prefix of the SHA-256 of what the artifact computes with, so equal models share a version. */
public final class Checksums {
    private static final int VERSION_HEX_CHARS = 12;

    private Checksums() {
    }

    public static String versionOf(byte[]... parts) {
        return Sha256.of(parts).substring(0, VERSION_HEX_CHARS);
    }
}
