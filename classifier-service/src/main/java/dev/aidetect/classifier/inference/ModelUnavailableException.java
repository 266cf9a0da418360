package dev.aidetect.classifier.inference;

import dev.aidetect.schemas.RejectReason;

/**
 * A stage's model is not there for an input, for a while: still loading past {@code model-wait}, failed, not
 * configured, or the service is shutting down. The input is fine, so it becomes an UNAVAILABLE rejection, which is
 * retryable, rather than an internal error.
 */
public class ModelUnavailableException extends RejectedInputException {
    public ModelUnavailableException(String message) {
        super(RejectReason.UNAVAILABLE, message);
    }
}
