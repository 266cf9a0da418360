package dev.aidetect.e2e;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Debian's Python ({@code /usr/bin/python3}), whose packages (python3-confluent-kafka, ...) the pyenv one lacks. */
final class DebianPython {
    static final String EXECUTABLE = "/usr/bin/python3";

    private DebianPython() {
    }

    /** Whether {@code /usr/bin/python3} can import every one of {@code modules}. */
    static boolean canImport(String... modules) {
        try {
            Process process = new ProcessBuilder(EXECUTABLE, "-c", "import " + String.join(", ", modules))
                    .redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
