package dev.aidetect.tools.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.aidetect.imaging.encoder.EncoderLoadException;
import dev.aidetect.imaging.encoder.EncoderManifest;
import dev.aidetect.imaging.encoder.EncoderPrecision;

/**
 * The benchmark's encoders: CLIP image towers of real ViT-B/32 and ViT-L/14 size with seeded random weights (the
 * compute is the real one), written by {@code deploy/models/make_encoder.py} with Debian's torch into
 * {@code <work>/models/<preset>} the first time, and again only when the file no longer matches its checksum. The
 * {@code tiny} preset is the committed test encoder.
 */
public final class BenchModels {
    /**
     * Debian's python with torch 1.13 (the pyenv python3 on the PATH has none), or env AIDETECT_BENCH_PYTHON: a python
     * with a CUDA build of torch on a GPU machine, which the float16 export and the GPU peer need.
     */
    public static final Path PYTHON = Path.of(
            System.getenv().getOrDefault("AIDETECT_BENCH_PYTHON", "/usr/bin/python3"));

    private BenchModels() {
    }

    /** The encoder's manifest, written first if missing, damaged or without the export {@code precision} needs. */
    public static Path ensure(Path root, Path workDir, String preset, EncoderPrecision precision,
            PrintWriter log) {
        if (preset.equals("tiny")) {
            return root.resolve("deploy/models/tiny-clip-vit/manifest.json");
        }
        Path dir = workDir.resolve("models").resolve(preset);
        Path manifest = dir.resolve("manifest.json");
        if (usable(manifest, precision, log)) {
            return manifest;
        }
        if (!PythonPeer.hasTorch()) {
            throw new IllegalStateException("encoder " + preset + " is not in " + dir + " and " + PYTHON
                    + " has no torch to write it: apt-get install python3-torch python3-torchvision");
        }
        log.printf("  writing the %s encoder with random weights to %s (a minute or more)%n", preset, dir);
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(),
                root.resolve("deploy/models/make_encoder.py").toString(), "--preset", preset, "--out", dir.toString()));
        if (precision != EncoderPrecision.FLOAT32) {
            command.add("--" + precision.tag());
        }
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("make_encoder.py failed for " + preset + ": " + command);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing encoder " + preset, e);
        }
        if (!usable(manifest, precision, log)) {
            throw new IllegalStateException("make_encoder.py wrote no usable encoder to " + dir);
        }
        return manifest;
    }

    private static boolean usable(Path manifest, EncoderPrecision precision, PrintWriter log) {
        if (!Files.exists(manifest)) {
            return false;
        }
        try {
            EncoderManifest.read(manifest).verifiedFile(precision);
            return true;
        } catch (EncoderLoadException | RuntimeException e) {
            log.println("  cached encoder unusable, writing it again: " + e.getMessage());
            return false;
        }
    }
}
