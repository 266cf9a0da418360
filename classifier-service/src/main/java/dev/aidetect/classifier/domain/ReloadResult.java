package dev.aidetect.classifier.domain;

/**
 * What a reload request or a changed artifact file led to.
 *
 * @param slot the slot asked to reload
 * @param outcome what happened
 * @param message for people: which versions were swapped, or why the serving model was kept
 * @param serving the model serving the slot afterwards, or {@code null} when none is loaded
 */
public record ReloadResult(ModelSlot slot, Outcome outcome, String message, ModelInfo serving) {
    /** Reload outcomes; every one but {@link #SWAPPED} leaves the serving model in place. */
    public enum Outcome {
        /** The new model passed its checks and now serves. */
        SWAPPED,
        /** The artifact is the one already serving. */
        UNCHANGED,
        /** The new model loaded but does not fit the slot (stage, classes, encoder, size, smoke prediction). */
        REFUSED,
        /** The new model could not be read at all. */
        FAILED
    }
}
