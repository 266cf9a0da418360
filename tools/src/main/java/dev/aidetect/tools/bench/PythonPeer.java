package dev.aidetect.tools.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.aidetect.imaging.encoder.EncoderDevice;
import dev.aidetect.imaging.encoder.EncoderPrecision;

/**
 * Runs {@code embed_peer.py} (packaged with the tool, written to the work folder) with Debian's python: PIL decode,
 * torchvision CLIP preprocessing and the same TorchScript encoder (the export of the same precision), same batch size
 * and thread count; on the GPU when there is one and the device allows it.
 */
public final class PythonPeer {
    private static Boolean hasTorch;

    private PythonPeer() {
    }

    /** Whether {@code /usr/bin/python3} can import torch, torchvision and PIL. */
    public static synchronized boolean hasTorch() {
        if (hasTorch == null) {
            try {
                Process probe = new ProcessBuilder(BenchModels.PYTHON.toString(), "-c",
                        "import torch, torchvision, PIL").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                hasTorch = probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
            } catch (IOException e) {
                hasTorch = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                hasTorch = false;
            }
        }
        return hasTorch;
    }

    /**
     * Runs the peer on the manifest's export of {@code precision}, on the GPU when {@code device} allows one; with
     * {@code draftDecode} it puts each JPEG in PIL's draft mode before decoding, as the embedder's draft decoding.
     */
    public static ModeResult run(Path workDir, Path manifest, List<Path> files, int images, int batch, int threads,
            EncoderPrecision precision, EncoderDevice device, boolean draftDecode) {
        Path script = workDir.resolve("embed_peer.py");
        List<String> command = new ArrayList<>(List.of(BenchModels.PYTHON.toString(), script.toString(),
                "--manifest", manifest.toString(), "--batch", String.valueOf(batch), "--threads",
                String.valueOf(threads), "--images", String.valueOf(images), "--precision", precision.label(),
                "--device", device.name().toLowerCase(Locale.ROOT)));
        if (draftDecode) {
            command.add("--draft");
        }
        files.forEach(file -> command.add(file.toString()));
        try (InputStream source = PythonPeer.class.getResourceAsStream("embed_peer.py")) {
            Files.createDirectories(workDir);
            Files.copy(source, script, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + script + ": " + e.getMessage(), e);
        }
        return Workers.run("python peer", command, Map.of("OMP_NUM_THREADS", String.valueOf(threads)));
    }
}
