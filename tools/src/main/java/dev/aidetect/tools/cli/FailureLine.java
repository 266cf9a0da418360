package dev.aidetect.tools.cli;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import dev.aidetect.heads.natives.NativeLibraryMissingException;
import dev.aidetect.imaging.encoder.EncoderLoadException;

/**
 * The one line a failed command prints: the message of the exception that says what went wrong, found under the
 * wrappers a JVM adds on the way up (a static initialiser that failed, an unchecked wrapper of an I/O error, a
 * future's execution exception).
 */
public final class FailureLine {
    private FailureLine() {
    }

    /** The failure as one line: its own message when it is one the project writes, else its type and message. */
    public static String of(Throwable failure) {
        Throwable root = unwrap(failure);
        String message = firstLine(root.getMessage());
        if (root instanceof NoSuchFileException e) {
            return "no such file: " + e.getFile() + (e.getReason() == null ? "" : " (" + e.getReason() + ")");
        }
        if (root instanceof AccessDeniedException e) {
            return "permission denied: " + e.getFile();
        }
        if (root instanceof FileSystemException e) {
            return (e.getReason() == null ? "file system error" : e.getReason()) + ": " + e.getFile();
        }
        if (explained(root) && message != null) {
            return message;
        }
        String type = root.getClass().getSimpleName();
        return message == null ? type : type + ": " + message;
    }

    /**
     * Whether the failure is one the project explains in its message, so its stack trace is noise: a
     * {@link CommandFailure}, a missing native library, an encoder that cannot load, or a refused argument or state
     * the project's own code wrote a sentence about.
     */
    public static boolean explained(Throwable failure) {
        Throwable root = unwrap(failure);
        return root instanceof CommandFailure || root instanceof NativeLibraryMissingException
                || root instanceof EncoderLoadException || root instanceof FileSystemException
                || root instanceof FileNotFoundException
                || ((root instanceof IllegalArgumentException || root instanceof IllegalStateException)
                        && thrownByTheProject(root));
    }

    /** The innermost exception that carries the story: wrappers the JVM adds are peeled off. */
    static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while (current.getCause() != null && current.getCause() != current && isWrapper(current)) {
            current = current.getCause();
        }
        return current;
    }

    private static boolean isWrapper(Throwable t) {
        return t instanceof ExceptionInInitializerError || t instanceof NoClassDefFoundError
                || t instanceof UncheckedIOException || t instanceof ExecutionException
                || t instanceof CompletionException || t instanceof InvocationTargetException
                || t instanceof picocli.CommandLine.ExecutionException
                || (t instanceof RuntimeException && t.getClass() == RuntimeException.class
                        && (t.getMessage() == null || t.getMessage().equals(t.getCause().toString())));
    }

    private static boolean thrownByTheProject(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        return trace.length > 0 && trace[0].getClassName().startsWith("dev.aidetect.");
    }

    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return null;
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message.strip() : message.substring(0, newline).strip();
    }
}
