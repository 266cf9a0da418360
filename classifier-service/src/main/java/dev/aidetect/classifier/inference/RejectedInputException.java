package dev.aidetect.classifier.inference;

import dev.aidetect.schemas.RejectReason;

/** An input a stage cannot decide on; becomes an {@code ImageRejected} with this reason and message. */
public class RejectedInputException extends RuntimeException {
    private final RejectReason reason;

    public RejectedInputException(RejectReason reason, String message) {
        this(reason, message, null);
    }

    public RejectedInputException(RejectReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
