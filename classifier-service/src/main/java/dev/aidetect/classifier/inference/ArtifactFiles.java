package dev.aidetect.classifier.inference;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.List;
import java.util.stream.Stream;

import dev.aidetect.classifier.domain.LoadedModel.FileStamp;
import dev.aidetect.common.Sha256;

/** Identifies an artifact's content (checksum) and, cheaply, its state on disk (stamp) to notice replacements. */
final class ArtifactFiles {
    private ArtifactFiles() {
    }

    /**
     * SHA-256 of a file's bytes, or of every regular file's path (relative to the directory) and bytes in a directory
     * and its subdirectories (an ensemble's members), in path order.
     */
    static String checksum(Path artifact) throws IOException {
        MessageDigest digest = Sha256.digest();
        boolean directory = Files.isDirectory(artifact);
        List<Path> files = directory ? filesUnder(artifact) : List.of(artifact);
        for (Path file : files) {
            String name = directory ? artifact.relativize(file).toString() : file.getFileName().toString();
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            Sha256.update(digest, file);
        }
        return Sha256.hex(digest);
    }

    /** Every regular file in the directory and its subdirectories, in path order; links are followed. */
    private static List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /**
     * The artifact's identity, modification time and size, or {@code null} when it is not there (being replaced). A
     * symbolic link is followed (re-pointing it is a replacement). For a directory: the directory's identity, the
     * latest modification time of it and everything under it, and their total size, so a network whose files are
     * rewritten in place (an ensemble's member too) is noticed.
     */
    static FileStamp stamp(Path artifact) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(artifact, BasicFileAttributes.class);
            long modified = attributes.lastModifiedTime().toMillis();
            long size = attributes.size();
            if (attributes.isDirectory()) {
                try (Stream<Path> walk = Files.walk(artifact, FileVisitOption.FOLLOW_LINKS)) {
                    for (Path file : walk.skip(1).toList()) {
                        BasicFileAttributes member = Files.readAttributes(file, BasicFileAttributes.class);
                        modified = Math.max(modified, member.lastModifiedTime().toMillis());
                        size += member.size();
                    }
                }
            }
            return new FileStamp(attributes.fileKey(), modified, size);
        } catch (IOException e) {
            return null;
        }
    }
}
