package dev.aidetect.classifier.domain;

/**
 * Where one model slot stands.
 *
 * @param state the slot's state
 * @param detail for people: the model id and version, the path being loaded, or what went wrong
 */
public record ModelStatus(State state, String detail) {
    /** Lifecycle of a model slot. */
    public enum State {
        /** No location configured: this instance does not serve the slot's stage. */
        NOT_CONFIGURED,
        /** Configured, not loaded yet. */
        LOADING,
        /** Loaded and serving. */
        LOADED,
        /** Configured but could not be loaded; the stage is not served. */
        FAILED
    }

    /** Whether the slot keeps the service from being ready. */
    public boolean blocksReadiness() {
        return state == State.LOADING || state == State.FAILED;
    }
}
