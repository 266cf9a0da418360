package dev.aidetect.imaging.decode;

import java.util.Objects;

import dev.aidetect.schemas.RejectReason;

/** An input that is not a decodable image within the limits; the message says what was wrong and what to do. */
public class ImageRejectedException extends Exception {

    private final RejectReason reason;

    public ImageRejectedException(RejectReason reason, String message) {
        this(reason, message, null);
    }

    public ImageRejectedException(RejectReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public RejectReason reason() {
        return reason;
    }
}
