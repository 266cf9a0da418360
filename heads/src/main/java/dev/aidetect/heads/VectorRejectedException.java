package dev.aidetect.heads;

/** A vector a head cannot classify; the message says what was wrong and what to do. */
public class VectorRejectedException extends IllegalArgumentException {
    /** Why the vector was refused. */
    public enum Reason {
        /** Wrong length, NaN or infinite components, or no vector at all. */
        BAD_VECTOR,
        /** Made by another encoder than the one the head was trained on. */
        ENCODER_MISMATCH
    }

    private final Reason reason;

    public VectorRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
