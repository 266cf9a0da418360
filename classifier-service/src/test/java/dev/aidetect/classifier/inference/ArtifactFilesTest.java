package dev.aidetect.classifier.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An artifact directory's checksum and stamp cover every file under it: a detection ensemble keeps its member networks
 * in subdirectories, and a member rewritten in place is a new model.
 */
class ArtifactFilesTest {
    @TempDir
    Path dir;

    @Test
    void aFileRewrittenInASubdirectoryChangesTheChecksumAndTheStamp() throws IOException {
        Path member = Files.createDirectories(dir.resolve("members/1-a"));
        Files.writeString(dir.resolve("ensemble.json"), "{}");
        Files.writeString(member.resolve("attribution-0000.params"), "weights one");
        String checksum = ArtifactFiles.checksum(dir);
        var stamp = ArtifactFiles.stamp(dir);

        Files.writeString(member.resolve("attribution-0000.params"), "weights two!");
        Files.setLastModifiedTime(member.resolve("attribution-0000.params"),
                FileTime.from(Instant.now().plusSeconds(5)));

        assertThat(ArtifactFiles.checksum(dir)).isNotEqualTo(checksum);
        assertThat(ArtifactFiles.stamp(dir)).isNotEqualTo(stamp);
    }

    @Test
    void aLinkToADirectoryIsFollowed() throws IOException {
        Path target = Files.createDirectories(dir.resolve("v1/members/1-a"));
        Files.writeString(target.resolve("attribution-0000.params"), "weights");
        Path link = Files.createSymbolicLink(dir.resolve("served"), dir.resolve("v1"));

        assertThat(ArtifactFiles.checksum(link)).isEqualTo(ArtifactFiles.checksum(dir.resolve("v1")));
        assertThat(ArtifactFiles.stamp(link)).isEqualTo(ArtifactFiles.stamp(dir.resolve("v1")));
    }

    @Test
    void theChecksumIsOfNamesAndBytesWhereverTheDirectoryLies() throws IOException {
        // names are taken relative to the artifact, so where it lies does not matter
        Files.writeString(dir.resolve("attribution.json"), "{}");
        Files.writeString(dir.resolve("attribution-0000.params"), "weights");
        Path other = Files.createDirectories(dir.resolve("elsewhere/copy"));
        Files.writeString(other.resolve("attribution.json"), "{}");
        Files.writeString(other.resolve("attribution-0000.params"), "weights");
        Path flat = Files.createDirectories(dir.resolve("flat"));
        Files.copy(dir.resolve("attribution.json"), flat.resolve("attribution.json"));
        Files.copy(dir.resolve("attribution-0000.params"), flat.resolve("attribution-0000.params"));

        assertThat(ArtifactFiles.checksum(flat)).isEqualTo(ArtifactFiles.checksum(other));
    }
}
