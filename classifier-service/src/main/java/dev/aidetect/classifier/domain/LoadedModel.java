package dev.aidetect.classifier.domain;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A model a slot holds, with where it came from: what {@code GET /models} lists and what a reload compares against.
 *
 * @param model the loaded model: a vector head or a network on pixels
 * @param id the model id its verdicts carry
 * @param version the model version its verdicts carry
 * @param path the artifact it was loaded from
 * @param checksum SHA-256 of the artifact's bytes (of every file, for a network directory), hex
 * @param stamp the artifact's file identity, modification time and size when it was read
 * @param loadedAt when it was loaded
 */
public record LoadedModel(ServedModel model, String id, String version, Path path, String checksum, FileStamp stamp,
        Instant loadedAt) {

    /** What identifies one state of an artifact file cheaply: an atomic move changes the file key. */
    public record FileStamp(Object fileKey, long modifiedMillis, long size) {
    }
}
