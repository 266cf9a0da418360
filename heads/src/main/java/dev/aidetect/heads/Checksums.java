package dev.aidetect.heads;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Artifact versions: a prefix of the SHA-256 of what the artifact computes with, so equal models share a version. */
final class Checksums {
    private static final int VERSION_HEX_CHARS = 12;

    private Checksums() {
    }

    static String versionOf(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, VERSION_HEX_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
