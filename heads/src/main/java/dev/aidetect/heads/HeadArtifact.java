package dev.aidetect.heads;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import smile.classification.Classifier;

import dev.aidetect.heads.natives.OpenBlas;

/**
 * The head artifact: one zip file holding {@code head.json} ({@link HeadMetadata}) and {@code model.ser} (the fitted
 * Smile classifier, Java-serialised). Reading accepts only Smile, JDK and this package's model classes, so a file from
 * elsewhere cannot instantiate arbitrary code.
 */
final class HeadArtifact {
    static {
        // Smile binds BLAS/LAPACK on first use; make sure it finds an OpenBLAS.
        OpenBlas.ensureLoaded();
    }

    static final String METADATA = "head.json";
    static final String MODEL = "model.ser";
    private static final ObjectInputFilter MODEL_CLASSES = ObjectInputFilter.Config
            .createFilter("maxdepth=64;smile.**;java.**;dev.aidetect.heads.*;!*");

    private HeadArtifact() {
    }

    /** @param metadata complete except for the version, which is computed from the content here */
    static HeadMetadata write(Path file, HeadMetadata metadata, Classifier<double[]> model) throws IOException {
        byte[] modelBytes = serialize(model);
        String version = Checksums.versionOf(modelBytes, ArtifactJson.write(metadata.withVersion("", null)));
        HeadMetadata versioned = metadata.withVersion(version, metadata.trainedAt());
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        // Written beside the target and moved, so a reader never sees half an artifact.
        Path partial = Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".partial");
        try (OutputStream out = Files.newOutputStream(partial); ZipOutputStream zip = new ZipOutputStream(out)) {
            put(zip, METADATA, ArtifactJson.write(versioned));
            put(zip, MODEL, modelBytes);
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return versioned;
    }

    /** A loaded artifact. */
    record Contents(HeadMetadata metadata, Classifier<double[]> model) {
    }

    static Contents read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    "no head artifact there; train one (aidetect train heads) or fix the configured path");
        }
        Map<String, byte[]> entries = new HashMap<>();
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        }
        for (String name : new String[]{METADATA, MODEL}) {
            if (!entries.containsKey(name)) {
                throw new IOException(file + " is not a head artifact: it has no " + name + " entry (entries: "
                        + entries.keySet() + ")");
            }
        }
        HeadMetadata metadata = ArtifactJson.read(entries.get(METADATA), HeadMetadata.class, file + "!" + METADATA);
        if (metadata.formatVersion() < HeadMetadata.OLDEST_READABLE
                || metadata.formatVersion() > HeadMetadata.FORMAT_VERSION) {
            throw new IOException(
                    file + " has head format " + metadata.formatVersion() + " but this code reads formats "
                            + HeadMetadata.OLDEST_READABLE + " to " + HeadMetadata.FORMAT_VERSION
                            + "; retrain the head or upgrade the service");
        }
        return new Contents(metadata, deserialize(entries.get(MODEL), file));
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static byte[] serialize(Classifier<double[]> model) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(model);
        }
        return bytes.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static Classifier<double[]> deserialize(byte[] bytes, Path file) throws IOException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(MODEL_CLASSES);
            Object model = in.readObject();
            if (!(model instanceof Classifier<?> classifier) || !classifier.isSoft()) {
                throw new IOException(file + "!" + MODEL + " holds " + model.getClass().getName()
                        + ", not a Smile classifier that gives class probabilities");
            }
            return (Classifier<double[]>) classifier;
        } catch (ClassNotFoundException | ClassCastException | java.io.InvalidClassException e) {
            throw new IOException(file + "!" + MODEL + " cannot be read with this Smile version ("
                    + e.getMessage() + "); retrain the head with this version", e);
        }
    }
}
