package dev.aidetect.imaging.encoder;

/** An encoder that cannot be used: bad manifest, missing or tampered model file, or a model DJL cannot load or run. */
public class EncoderLoadException extends Exception {

    public EncoderLoadException(String message) {
        super(message);
    }

    public EncoderLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
