package dev.aidetect.tools.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.aidetect.imaging.encoder.EncoderDevice;
import dev.aidetect.imaging.encoder.EncoderPrecision;
import dev.aidetect.tools.stack.RuntimeEnv;

/**
 * Runs a benchmark mode in a process of its own, so its peak memory is its own: progress passes through on stderr,
 * the result is the last JSON line on stdout.
 */
final class Workers {
    private Workers() {
    }

    /** A child JVM on this tool's class path running {@link EmbedWorker} in one mode. */
    static ModeResult runJava(String mode, Path manifest, List<Path> files, int images, int batch,
            ThreadBudget threads, EncoderPrecision precision, EncoderDevice device, boolean draftDecode) {
        RuntimeEnv runtime = RuntimeEnv.bundled();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(runtime.jvmFlags());
        command.addAll(
                List.of("-Dai.djl.pytorch.num_threads=" + threads.torchEach(), "-Dai.djl.pytorch.num_interop_threads=1",
                        "-D" + EmbedWorker.DRAFT_DECODE + "=" + draftDecode, "-cp",
                        System.getProperty("java.class.path"), EmbedWorker.class.getName(), mode, manifest.toString(),
                        String.valueOf(images), String.valueOf(batch), String.valueOf(threads.total()),
                        String.valueOf(threads.inference()), precision.name(), device.name()));
        files.forEach(file -> command.add(file.toString()));
        Map<String, String> env = new HashMap<>(Map.of("OMP_NUM_THREADS", String.valueOf(threads.torchEach()),
                "PYTORCH_VERSION", runtime.pytorchVersion()));
        // The CPU build of libtorch that ships with the tool, unless a GPU is insisted on: then PYTORCH_FLAVOR is the
        // caller's (a CUDA flavor such as cu124 whose libtorch is in ~/.djl.ai; the ./aidetect launcher sets cpu).
        if (device != EncoderDevice.GPU) {
            env.put("PYTORCH_FLAVOR", runtime.pytorchFlavor());
        }
        return run(mode, command, env);
    }

    static ModeResult run(String name, List<String> command, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(env);
        List<String> lines = new ArrayList<>();
        try {
            Process process = builder.start();
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                out.lines().forEach(lines::add);
            }
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(name + " exited with code " + exit + " (its errors are above)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + name + " (" + command.getFirst() + "): " + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + name + " ran", e);
        }
        return ModeResult.parseLastOf(lines, name);
    }
}
