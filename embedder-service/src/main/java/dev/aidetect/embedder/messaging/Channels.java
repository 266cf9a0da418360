package dev.aidetect.embedder.messaging;

/** Channel names, each its topic's name (ChannelNamesTest holds them to {@code Topics}), shared with the tests. */
public final class Channels {
    /** {@code images.ingest}, consumed as raw bytes in batches. */
    public static final String INGEST = "images.ingest";
    /** {@code images.received}: every submission read, without its pixels, keyed by the image id in its value. */
    public static final String RECEIVED = "images.received";
    /** {@code images.embedded}. */
    public static final String EMBEDDED = "images.embedded";
    /** {@code images.rejected}. */
    public static final String REJECTED = "images.rejected";

    private Channels() {
    }
}
