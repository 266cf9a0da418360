package dev.aidetect.heads.natives;

/**
 * A native library the process needs could not be loaded. The message is one line that names the library and what to
 * install or set; command lines print it as it is, services fail their start-up with it.
 */
public final class NativeLibraryMissingException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public NativeLibraryMissingException(String message) {
        super(message);
    }

    public NativeLibraryMissingException(String message, Throwable cause) {
        super(message, cause);
    }
}
