package dev.aidetect.classifier.domain;

import java.time.Instant;

/**
 * One slot as {@code GET /models} lists it.
 *
 * @param slot the slot's API name, e.g. {@code detection-head}
 * @param state the slot's state
 * @param id model id, or {@code null} when none is loaded
 * @param version model version, or {@code null}
 * @param checksum SHA-256 of the artifact, or {@code null}
 * @param path the artifact's location, or {@code null} when not configured
 * @param loadedAt when the serving model was loaded, or {@code null}
 * @param detail the slot's status for people
 */
public record ModelInfo(String slot, ModelStatus.State state, String id, String version, String checksum,
        String path, Instant loadedAt, String detail) {
}
