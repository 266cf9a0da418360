package dev.aidetect.tools.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A child JVM whose output goes to a log file; stopped with SIGTERM, then killed if it does not exit in time. It runs
 * in a session of its own ({@code setsid}, where the machine has it), so a Ctrl-C at the terminal reaches only the
 * command that started it, which stops its children in order (services before the broker they talk to) instead of
 * every process at once.
 */
final class ManagedProcess implements AutoCloseable {
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    /** How long a process may take to stop after SIGTERM before it is killed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final String name;
    private final Process process;
    private final Path log;

    private ManagedProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * @param env environment on top of this process's; a {@code null} value removes the variable
     */
    static ManagedProcess start(String name, List<String> command, Map<String, String> env, Path log) {
        if (!executable(command.getFirst())) {
            // Checked here: through setsid, a missing program would only show as an exit code later.
            throw new UncheckedIOException("cannot start " + name + " (" + String.join(" ", command) + "): "
                    + command.getFirst() + " is not an executable file", new IOException("not executable"));
        }
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(inOwnSession(command)).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            env.forEach((key, value) -> {
                if (value == null) {
                    builder.environment().remove(key);
                } else {
                    builder.environment().put(key, value);
                }
            });
            return new ManagedProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " (" + String.join(" ", command) + "): "
                    + e.getMessage(), e);
        }
    }

    /**
     * The command run through {@code setsid}, which (for a child that does not lead its process group, as a child of a
     * JVM does not) starts a new session and execs the command in place: the pid stays the command's.
     */
    static List<String> inOwnSession(List<String> command) {
        if (!Files.isExecutable(SETSID)) {
            return command;
        }
        List<String> detached = new ArrayList<>(command.size() + 1);
        detached.add(SETSID.toString());
        detached.addAll(command);
        return detached;
    }

    /** Whether {@code program} (a path, or a name looked up on the PATH) can be run. */
    private static boolean executable(String program) {
        if (program.contains("/")) {
            return Files.isExecutable(Path.of(program));
        }
        String path = System.getenv("PATH");
        return path == null
                || Arrays.stream(path.split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    long pid() {
        return process.pid();
    }

    /**
     * Waits until {@code ready} holds, polling every 250 ms.
     *
     * @throws IllegalStateException when the process exits first or the timeout passes, with the end of its log
     */
    void awaitReady(BooleanSupplier ready, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " before it was ready; end of " + log + ":\n" + tail(30));
            }
            if (ready.getAsBoolean()) {
                return;
            }
            sleep(250);
        }
        throw new IllegalStateException(name + " was not ready after " + timeout.toSeconds() + " s; end of " + log
                + ":\n" + tail(30));
    }

    /** The last lines of the log. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    boolean logContains(String text) {
        try {
            return Files.exists(log) && Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills the process at once, as a crash would (SIGKILL). */
    void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(10));
    }

    boolean alive() {
        return process.isAlive();
    }

    /**
     * Stops the process: SIGTERM, then SIGKILL if it has not exited within {@link #STOP_GRACE}.
     *
     * @return whether it exited by itself (false: it had to be killed)
     */
    boolean stop() {
        askToStop();
        return awaitStop();
    }

    /** Sends SIGTERM, without waiting: several processes can then stop side by side. */
    void askToStop() {
        if (process.isAlive()) {
            process.destroy();
        }
    }

    /**
     * Waits up to {@link #STOP_GRACE} for the process to exit after {@link #askToStop}, then kills it.
     *
     * @return whether it exited by itself (false: it had to be killed)
     */
    boolean awaitStop() {
        if (waitFor(STOP_GRACE)) {
            return true;
        }
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(5));
        return false;
    }

    @Override
    public void close() {
        stop();
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a process to get ready", e);
        }
    }
}
