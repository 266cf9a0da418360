package dev.aidetect.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, as the project writes it everywhere: lower-case hex. */
public final class Sha256 {
    private static final int BUFFER = 1 << 20;

    private Sha256() {
    }

    /** A fresh digest, for data that arrives in pieces (a download being written). */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** The digest as lower-case hex. */
    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Of the parts, one after the other. */
    public static String of(byte[]... parts) {
        MessageDigest digest = digest();
        for (byte[] part : parts) {
            digest.update(part);
        }
        return hex(digest);
    }

    /** Of a file's bytes, read in 1 MiB pieces. */
    public static String ofFile(Path file) throws IOException {
        MessageDigest digest = digest();
        update(digest, file);
        return hex(digest);
    }

    /** Adds a file's bytes to {@code digest}. */
    public static void update(MessageDigest digest, Path file) throws IOException {
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read; (read = in.read(buffer)) >= 0;) {
                digest.update(buffer, 0, read);
            }
        }
    }
}
