package dev.aidetect.tools;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import picocli.CommandLine;

/**
 * One run of the {@code aidetect} command line in this JVM, as a user would see it: the exit code, and standard
 * output and error (what the commands print and what picocli prints) captured.
 */
record CliRun(int exit, String out, String err, Duration took) {
    static CliRun of(String... args) {
        ByteArrayOutputStream systemOut = new ByteArrayOutputStream();
        ByteArrayOutputStream systemErr = new ByteArrayOutputStream();
        StringWriter cliOut = new StringWriter();
        StringWriter cliErr = new StringWriter();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        long start = System.nanoTime();
        int exit;
        try {
            System.setOut(new PrintStream(systemOut, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(systemErr, true, StandardCharsets.UTF_8));
            CommandLine cli = AidetectCli.commandLine();
            cli.setOut(new PrintWriter(cliOut, true));
            cli.setErr(new PrintWriter(cliErr, true));
            exit = cli.execute(args);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        return new CliRun(exit, systemOut.toString(StandardCharsets.UTF_8) + cliOut,
                systemErr.toString(StandardCharsets.UTF_8) + cliErr, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * The lines on standard error that report a problem: not a library's log line (those start with a level), nor a
     * note about the machine (a missing optional library, which depends on where the test runs).
     */
    List<String> errorLines() {
        return err.lines().filter(line -> !line.matches("^(INFO|WARN|DEBUG) +\\[.*"))
                .filter(line -> !line.startsWith("  note: ")).toList();
    }
}
