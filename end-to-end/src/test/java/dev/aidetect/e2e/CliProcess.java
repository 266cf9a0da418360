package dev.aidetect.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.aidetect.tools.stack.RuntimeEnv;

/**
 * The {@code aidetect} command line as its own process, as a user runs it ({@code java -jar
 * tools/target/aidetect-tools.jar}, with the launcher's JVM flags, from the project root), in a session of its own
 * ({@code setsid}) so that a test can send its process group the SIGINT a terminal sends on Ctrl-C (with SIGINT's
 * default disposition, as under a terminal, whatever the build inherited). Standard output and error go to files a
 * test reads while it runs.
 */
final class CliProcess implements AutoCloseable {
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final String name;
    private final Process process;
    private final Path out;
    private final Path err;

    private CliProcess(String name, Process process, Path out, Path err) {
        this.name = name;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code aidetect <args>} from {@code root}; its output goes to {@code <logs>/<name>.out} and {@code .err}. */
    static CliProcess start(Path root, Path logs, String name, String... args) {
        RuntimeEnv runtime = RuntimeEnv.bundled();
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        // A shell's background job (Maven run from a script or CI) starts with SIGINT ignored, and every process below
        // inherits that; a terminal's foreground command does not. Reset it, as a user's terminal would have it.
        command.addAll(List.of("env", "--default-signal=INT"));
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(runtime.jvmFlags());
        command.addAll(List.of("-jar", root.resolve("tools/target/aidetect-tools.jar").toString()));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(logs);
            Path out = logs.resolve(name + ".out");
            Path err = logs.resolve(name + ".err");
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(runtime.djlEnvironment());
            return new CliProcess(name, builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start aidetect " + String.join(" ", args), e);
        }
    }

    /**
     * Waits until a line of standard output starts with {@code prefix}.
     *
     * @throws AssertionError when the process exits first, with the end of both outputs
     */
    void awaitLine(String prefix, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before printing '"
                        + prefix + "'\nstdout:\n" + out() + "\nstderr:\n" + tail(err(), 40));
            }
            return out().lines().anyMatch(line -> line.startsWith(prefix));
        });
    }

    /** Every process it started, and theirs, while they run. */
    List<ProcessHandle> descendants() {
        return process.toHandle().descendants().toList();
    }

    long pid() {
        return process.pid();
    }

    /** Sends {@code signal} (INT, TERM) to the process only. */
    void signal(String signal) {
        kill("-" + signal, String.valueOf(process.pid()));
    }

    /** Sends {@code signal} to its process group, as a terminal sends Ctrl-C's SIGINT to its foreground group. */
    void signalGroup(String signal) {
        kill("-" + signal, "--", "-" + process.pid());
    }

    /** Waits for the exit; returns its code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still runs after " + timeout.toSeconds() + " s\nstderr:\n"
                    + tail(err(), 40));
        }
        return process.exitValue();
    }

    String out() {
        return read(out);
    }

    String err() {
        return read(err);
    }

    /** Kills what is left (a test that failed midway), children first. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static void kill(String... args) {
        List<String> command = new ArrayList<>(List.of("kill"));
        command.addAll(List.of(args));
        try {
            int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new AssertionError(String.join(" ", command) + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
