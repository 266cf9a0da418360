package dev.aidetect.testing;

import java.io.PrintStream;
import java.util.function.Supplier;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Makes every skip visible. A test or lifecycle method that aborts (a failed assumption, normally through
 * {@link Prerequisites}) prints one line to standard error, {@code [skipped] TestClass#method: reason}, and is reported
 * skipped as before. Where the environment variable {@code CI} is {@code true} it fails instead, with an
 * {@link AssertionError}: a CI machine is set up to run every test, so one that lacks a prerequisite must say so rather
 * than go green with less tested. Other exceptions pass through untouched.
 * <p>
 * Registered for every test of every module by JUnit's extension autodetection: this jar's
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} entry, enabled for surefire and failsafe in the
 * parent pom.
 */
public final class NoSilentSkips implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    /** JUnit's {@code Assumptions} put this before the reason they are given. */
    private static final String ASSUMPTION_PREFIX = "Assumption failed: ";

    private final boolean ci;
    private final Supplier<PrintStream> err;

    /** The instance autodetection creates: {@code CI} from this JVM's environment, lines to {@code System.err}. */
    public NoSilentSkips() {
        this(System.getenv("CI"), () -> System.err);
    }

    /** For this extension's own tests: the value of {@code CI} (null when unset) and where the line goes. */
    NoSilentSkips(String ciVariable, Supplier<PrintStream> err) {
        this.ci = Boolean.parseBoolean(ciVariable);
        this.err = err;
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        throw reported(context, thrown);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        throw reported(context, thrown);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        throw reported(context, thrown);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        throw reported(context, thrown);
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        throw reported(context, thrown);
    }

    /** What to throw on: the abort itself after its line, the CI failure, or anything else unchanged. */
    private Throwable reported(ExtensionContext context, Throwable thrown) {
        if (!(thrown instanceof TestAbortedException)) {
            return thrown;
        }
        String test = context.getRequiredTestClass().getSimpleName()
                + context.getTestMethod().map(method -> "#" + method.getName()).orElse("");
        String reason = reason(thrown.getMessage());
        if (ci) {
            return new AssertionError("CI=true: " + test + " must run here, but it skipped: " + reason, thrown);
        }
        err.get().println("[skipped] " + test + ": " + reason);
        return thrown;
    }

    private static String reason(String message) {
        if (message == null || message.isBlank()) {
            return "no reason given";
        }
        String reason = message.startsWith(ASSUMPTION_PREFIX)
                ? message.substring(ASSUMPTION_PREFIX.length())
                : message;
        // One line, whatever the assumption said.
        return reason.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
