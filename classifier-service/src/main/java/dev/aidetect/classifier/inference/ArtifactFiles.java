package dev.aidetect.classifier.inference;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import dev.aidetect.classifier.domain.LoadedModel.FileStamp;

/** Identifies an artifact's content (checksum) and, cheaply, its state on disk (stamp) to notice replacements. */
final class ArtifactFiles {
    private ArtifactFiles() {
    }

    /** SHA-256 of a file's bytes, or of every regular file's name and bytes in a directory, in name order. */
    static String checksum(Path artifact) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
        List<Path> files;
        if (Files.isDirectory(artifact)) {
            try (Stream<Path> listing = Files.list(artifact)) {
                files = listing.filter(Files::isRegularFile).sorted().toList();
            }
        } else {
            files = List.of(artifact);
        }
        for (Path file : files) {
            digest.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The artifact's identity, modification time and size, or {@code null} when it is not there (being replaced). */
    static FileStamp stamp(Path artifact) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(artifact, BasicFileAttributes.class);
            return new FileStamp(attributes.fileKey(), attributes.lastModifiedTime().toMillis(), attributes.size());
        } catch (IOException e) {
            return null;
        }
    }
}
