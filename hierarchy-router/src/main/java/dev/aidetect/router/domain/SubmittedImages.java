package dev.aidetect.router.domain;

import java.util.List;

/**
 * The answer of {@code POST /images}: what the broker took onto {@code images.ingest}, each image's id (what
 * {@code GET /verdicts/{imageId}} and the verdict stream name it by) in the order given.
 *
 * @param run the submissions' attribute {@code run} ({@code GET /verdicts/stream?run=} follows them), or {@code null}
 * @param source the submissions' source
 */
public record SubmittedImages(String run, String source, List<Image> images) {
    /**
     * @param name the file's name or the URI
     */
    public record Image(String imageId, String name) {
    }
}
