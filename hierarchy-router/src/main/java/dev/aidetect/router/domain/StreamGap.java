package dev.aidetect.router.domain;

import java.util.List;

/**
 * The {@code gap} event of {@code GET /verdicts/stream}: the client asked to resume from a position this instance no
 * longer holds (or never held), so the final verdicts committed in these offset ranges of verdicts.final are not
 * sent; the stream goes on from the end of each range.
 *
 * @param message what happened and where to find what was missed
 * @param missed per partition, the offsets not sent: from (inclusive) to (exclusive)
 */
public record StreamGap(String message, List<Missed> missed) {
    /** Offsets {@code from} (inclusive) to {@code to} (exclusive) of one partition of verdicts.final. */
    public record Missed(int partition, long from, long to) {
    }
}
