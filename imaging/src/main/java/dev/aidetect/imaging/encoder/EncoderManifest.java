package dev.aidetect.imaging.encoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.aidetect.common.Sha256;

/**
 * What an encoder is and how to feed it, read from a {@code manifest.json} next to the model file (see
 * {@code deploy/models/README.md}). {@code file} is resolved against the manifest's directory. {@code fp16File} and
 * {@code bf16File} (with {@code fp16Sha256}, {@code bf16Sha256}) are optional half-precision TorchScript exports of the
 * same encoder (see {@link EncoderPrecision}); {@code null} when the manifest has none.
 */
public record EncoderManifest(String id, String version, Path file, String engine, int inputSize,
        PreprocessMode preprocess,
        List<Float> mean, List<Float> std, int embeddingSize, String sha256, Path fp16File, String fp16Sha256,
        Path bf16File, String bf16Sha256) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** The manifest as written, every field optional so that a missing one gets a message naming it. */
    private record Json(String id, String version, String file, String engine, Integer inputSize, String preprocess,
            List<Float> mean,
            List<Float> std, Integer embeddingSize, String sha256, String fp16File, String fp16Sha256,
            String bf16File, String bf16Sha256) {
    }

    public EncoderManifest {
        mean = List.copyOf(mean);
        std = List.copyOf(std);
    }

    /** Reads and validates a manifest; the model file must exist (its checksum is checked by {@link #verifiedFile()}). */
    public static EncoderManifest read(Path manifestPath) throws EncoderLoadException {
        if (!Files.isRegularFile(manifestPath)) {
            throw new EncoderLoadException("encoder manifest " + manifestPath.toAbsolutePath()
                    + " does not exist: point the encoder-manifest setting at a manifest.json (see deploy/models/README.md)");
        }
        Json json;
        try {
            json = JSON.readValue(manifestPath.toFile(), Json.class);
        } catch (IOException e) {
            throw new EncoderLoadException("cannot read encoder manifest " + manifestPath.toAbsolutePath() + " ("
                    + e.getMessage()
                    + "): point the encoder-manifest setting at a readable manifest.json (see deploy/models/README.md)",
                    e);
        }
        Checker check = new Checker(manifestPath);
        Path model = check.modelFile("file", json.file());
        String sha256 = check.sha256("sha256", json.sha256(), json.file());
        Path fp16Model = json.fp16File() == null ? null : check.modelFile("fp16File", json.fp16File());
        String fp16Sha256 = fp16Model == null ? null : check.sha256("fp16Sha256", json.fp16Sha256(), json.fp16File());
        Path bf16Model = json.bf16File() == null ? null : check.modelFile("bf16File", json.bf16File());
        String bf16Sha256 = bf16Model == null ? null : check.sha256("bf16Sha256", json.bf16Sha256(), json.bf16File());
        check.that(json.mean() != null && json.mean().size() == 3, "mean",
                "needs 3 values (R, G, B), got " + json.mean());
        check.that(json.std() != null && json.std().size() == 3 && json.std().stream().allMatch(s -> s > 0), "std",
                "needs 3 positive values (R, G, B), got " + json.std());
        PreprocessMode mode;
        try {
            mode = PreprocessMode.parse(check.text("preprocess", json.preprocess()));
        } catch (IllegalArgumentException e) {
            throw check.failure("preprocess", e.getMessage());
        }
        return new EncoderManifest(check.text("id", json.id()), check.text("version", json.version()), model,
                check.text("engine", json.engine()),
                check.positive("inputSize", json.inputSize()), mode, json.mean(), json.std(),
                check.positive("embeddingSize", json.embeddingSize()),
                sha256, fp16Model, fp16Sha256, bf16Model, bf16Sha256);
    }

    /** The model file of {@code precision}: {@code file}, {@code fp16File} or {@code bf16File} (null when absent). */
    public Path file(EncoderPrecision precision) {
        return switch (precision) {
            case FLOAT32 -> file;
            case FLOAT16 -> fp16File;
            case BFLOAT16 -> bf16File;
        };
    }

    /** Whether the manifest names an export of the encoder in {@code precision}. */
    public boolean has(EncoderPrecision precision) {
        return file(precision) != null;
    }

    /** The model file, after checking that its SHA-256 is the manifest's. */
    public Path verifiedFile() throws EncoderLoadException {
        return verified(file, sha256);
    }

    /** The model file of {@code precision}, after checking its SHA-256. */
    public Path verifiedFile(EncoderPrecision precision) throws EncoderLoadException {
        if (!has(precision)) {
            throw new EncoderLoadException("encoder manifest " + id + " v" + version + " names no " + precision.tag()
                    + "File, so it cannot run in " + precision.label() + ": export one with --" + precision.tag()
                    + " (deploy/models/README.md), or set the precision to float32");
        }
        return verified(file(precision), sha256(precision));
    }

    /**
     * This manifest as seen by the model loaded in {@code precision}: that precision's file and checksum, and the
     * version its embeddings record ({@link EncoderPrecision#version}).
     */
    public EncoderManifest in(EncoderPrecision precision) {
        return new EncoderManifest(id, precision.version(version), file(precision), engine, inputSize, preprocess, mean,
                std, embeddingSize, sha256(precision), fp16File, fp16Sha256, bf16File, bf16Sha256);
    }

    private String sha256(EncoderPrecision precision) {
        return switch (precision) {
            case FLOAT32 -> sha256;
            case FLOAT16 -> fp16Sha256;
            case BFLOAT16 -> bf16Sha256;
        };
    }

    private Path verified(Path file, String sha256) throws EncoderLoadException {
        String actual;
        try {
            actual = Sha256.ofFile(file);
        } catch (IOException e) {
            throw new EncoderLoadException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
        if (!actual.equals(sha256)) {
            throw new EncoderLoadException("model file " + file + " has sha256 " + actual + " but encoder manifest "
                    + id + " v" + version
                    + " expects " + sha256
                    + ": the file is corrupt or not the one the manifest describes; restore it or regenerate the manifest");
        }
        return file;
    }

    /** Collects validation failures into messages that name the manifest and the field. */
    private record Checker(Path manifest) {

        EncoderLoadException failure(String field, String problem) {
            return new EncoderLoadException(
                    "encoder manifest " + manifest.toAbsolutePath() + ": field '" + field + "' " + problem);
        }

        void that(boolean ok, String field, String problem) throws EncoderLoadException {
            if (!ok) {
                throw failure(field, problem);
            }
        }

        Path modelFile(String field, String value) throws EncoderLoadException {
            Path model = manifest.toAbsolutePath().getParent().resolve(text(field, value)).normalize();
            that(Files.isRegularFile(model), field, "names model file " + model
                    + ", which does not exist: copy it next to the manifest");
            return model;
        }

        String sha256(String field, String value, String file) throws EncoderLoadException {
            String sha256 = text(field, value).toLowerCase(Locale.ROOT);
            that(SHA256.matcher(sha256).matches(), field,
                    "'" + sha256 + "' is not 64 hex digits: write the output of sha256sum " + file);
            return sha256;
        }

        String text(String field, String value) throws EncoderLoadException {
            that(value != null && !value.isBlank(), field, "is missing or blank");
            return value;
        }

        int positive(String field, Integer value) throws EncoderLoadException {
            that(value != null && value > 0, field, "must be a positive integer, got " + value);
            return value;
        }
    }
}
