package dev.aidetect.imaging;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/python/reference.py} with Debian's {@code /usr/bin/python3} (torch, torchvision, Pillow) and
 * reads back what it wrote: PIL's decoded pixels, the torchvision tensors of both modes and the TorchScript
 * embeddings of each tensor.
 */
final class PythonReference {

    static final Path PYTHON = Path.of("/usr/bin/python3");

    /** What Python produced for one image. */
    record Result(Path image, BufferedImage pilPixels, float[] clipTensor, float[] cropTensor, float[] clipEmbedding,
            float[] cropEmbedding) {

        float[] tensor(PreprocessMode mode) {
            return mode == PreprocessMode.CLIP ? clipTensor : cropTensor;
        }

        float[] embedding(PreprocessMode mode) {
            return mode == PreprocessMode.CLIP ? clipEmbedding : cropEmbedding;
        }
    }

    private PythonReference() {
    }

    /** Whether {@code /usr/bin/python3} can import torch, torchvision and PIL. */
    static boolean available() {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        try {
            return run(List.of(PYTHON.toString(), "-c", "import torch, torchvision, PIL"), 60).isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes {@code source} as a lossy (quality 90) WebP with PIL, to test a format Java cannot write. */
    static Path webpCopy(Path source, Path target) throws IOException {
        String failure = run(List.of(PYTHON.toString(), "-c",
                "import sys; from PIL import Image; Image.open(sys.argv[1]).save(sys.argv[2], quality=90)",
                source.toString(), target.toString()), 60);
        if (!failure.isEmpty()) {
            throw new IllegalStateException("PIL could not write " + target + ": " + failure);
        }
        return target;
    }

    /**
     * Writes {@code source} resized with PIL to {@code width x height} (bicubic) as a quality-90 JPEG, baseline or
     * progressive: a stand-in for a phone photo, made from a real one.
     */
    static Path largeJpeg(Path source, Path target, int width, int height, boolean progressive) throws IOException {
        String failure = run(List.of(PYTHON.toString(), "-c",
                "import sys; from PIL import Image; Image.open(sys.argv[1]).convert('RGB')"
                        + ".resize((int(sys.argv[3]), int(sys.argv[4])), Image.BICUBIC)"
                        + ".save(sys.argv[2], quality=90, progressive=sys.argv[5] == '1')",
                source.toString(), target.toString(), String.valueOf(width), String.valueOf(height),
                progressive ? "1" : "0"), 60);
        if (!failure.isEmpty()) {
            throw new IllegalStateException("PIL could not write " + target + ": " + failure);
        }
        return target;
    }

    /** Runs {@code deploy/models/make_encoder.py} with {@code args} (the tiny preset unless they say otherwise). */
    static Path makeEncoder(Path outDir, String... args) throws IOException {
        Path script = TestImages.projectRoot().resolve("deploy/models/make_encoder.py");
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), script.toString(), "--out",
                outDir.toString()));
        command.addAll(List.of(args));
        String failure = run(command, 300);
        if (!failure.isEmpty()) {
            throw new IllegalStateException("make_encoder.py failed: " + failure);
        }
        return outDir.resolve("manifest.json");
    }

    static List<Result> compute(Path model, List<Path> images, Path outDir) throws IOException {
        return compute(model, images, outDir, 0);
    }

    /** @param draftSide 0 for PIL's full decode; else JPEGs are decoded in draft mode for that side first */
    static List<Result> compute(Path model, List<Path> images, Path outDir, int draftSide) throws IOException {
        Path script = TestImages.projectRoot().resolve("imaging/src/test/python/reference.py");
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), script.toString()));
        if (draftSide > 0) {
            command.addAll(List.of("--draft", String.valueOf(draftSide)));
        }
        command.addAll(List.of(model.toString(), outDir.toString()));
        images.forEach(image -> command.add(image.toString()));
        String failure = run(command, 300);
        if (!failure.isEmpty()) {
            throw new IllegalStateException("reference.py failed: " + failure);
        }
        List<Result> results = new ArrayList<>();
        for (String line : Files.readAllLines(outDir.resolve("index.tsv"))) {
            String[] f = line.split("\t");
            String i = f[0];
            results.add(new Result(Path.of(f[3]),
                    pixels(outDir.resolve(i + ".rgb"), Integer.parseInt(f[1]), Integer.parseInt(f[2])),
                    floats(outDir.resolve(i + ".clip.f32")), floats(outDir.resolve(i + ".crop.f32")),
                    floats(outDir.resolve(i + ".clip.emb")), floats(outDir.resolve(i + ".crop.emb"))));
        }
        return results;
    }

    /** Runs a command; returns "" on success, else its exit status and output. */
    private static String run(List<String> command, int timeoutSeconds) throws IOException {
        // Output goes to a file: a pipe nobody drains could block the script.
        Path log = Files.createTempFile("reference-py", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // Importing deploy/models/encoder_export.py must not leave __pycache__ in the source tree.
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process process = builder.start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "timed out after " + timeoutSeconds + " s";
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.getFirst(), e);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        return process.exitValue() == 0 ? "" : "exit " + process.exitValue() + ": " + output;
    }

    private static BufferedImage pixels(Path rgbFile, int width, int height) throws IOException {
        byte[] rgb = Files.readAllBytes(rgbFile);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] out = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < out.length; i++) {
            out[i] = (rgb[3 * i] & 0xFF) << 16 | (rgb[3 * i + 1] & 0xFF) << 8 | rgb[3 * i + 2] & 0xFF;
        }
        return image;
    }

    private static float[] floats(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(values);
        return values;
    }
}
