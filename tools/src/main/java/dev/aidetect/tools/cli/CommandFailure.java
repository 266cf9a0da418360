package dev.aidetect.tools.cli;

/**
 * A failure the command line expects and can explain: its message is the one line the user sees (what was wrong and
 * what to do), so no stack trace is printed unless {@code --verbose} asks for it. Exit code 1.
 */
public final class CommandFailure extends RuntimeException {
    public CommandFailure(String message) {
        super(message);
    }

    public CommandFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
