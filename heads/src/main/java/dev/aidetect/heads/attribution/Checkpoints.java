package dev.aidetect.heads.attribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import ai.djl.MalformedModelException;
import ai.djl.Model;

import dev.aidetect.heads.ArtifactJson;

/**
 * Where attribution training saves every epoch's weights ({@code epoch-007-0000.params}) and the epoch history
 * ({@code history.json}), so that a stopped run can resume from its last epoch. Adam's moment estimates are not
 * saved: a resumed run restarts them, which costs a few noisy steps, not the weights.
 *
 * @param dir the checkpoint folder, or {@code null} for none
 * @param resume whether to continue from the latest checkpoint in {@code dir} rather than start over
 */
public record Checkpoints(Path dir, boolean resume) {
    private static final String HISTORY = "history.json";
    private static final String NETWORK = "network.json";

    public Checkpoints {
        if (resume && dir == null) {
            throw new IllegalArgumentException("resuming needs the checkpoint folder of the run to continue");
        }
    }

    /** No checkpoints: train from scratch and keep only the best epoch in the network directory. */
    public static Checkpoints none() {
        return new Checkpoints(null, false);
    }

    /**
     * The epochs already trained (empty unless resuming), after checking that the checkpoints belong to the same
     * kind of network.
     */
    List<EpochReport> history(AttributionMetadata network) throws IOException {
        if (dir == null) {
            return new ArrayList<>();
        }
        Files.createDirectories(dir);
        Path description = dir.resolve(NETWORK);
        if (resume && Files.exists(description)) {
            AttributionMetadata saved = ArtifactJson.read(Files.readAllBytes(description), AttributionMetadata.class,
                    description.toString());
            if (!saved.classes().equals(network.classes()) || saved.cropSize() != network.cropSize()
                    || saved.depth() != network.depth() || saved.pixelInput() != network.pixelInput()) {
                throw new IOException("the checkpoints in " + dir + " are of another network (" + saved.id() + ", "
                        + saved.classes() + ", crop " + saved.cropSize() + ", " + saved.pixelInput().label()
                        + "); resume with the same data and options, or choose a fresh checkpoint folder");
            }
            Path history = dir.resolve(HISTORY);
            if (Files.exists(history)) {
                return new ArrayList<>(Arrays.asList(
                        ArtifactJson.read(Files.readAllBytes(history), EpochReport[].class, history.toString())));
            }
        }
        Files.write(description, ArtifactJson.write(network));
        return new ArrayList<>();
    }

    /** Saves the model after the last epoch of {@code history}; nothing without a folder. */
    void save(Model model, List<EpochReport> history) throws IOException {
        if (dir != null) {
            model.save(dir, prefix(history.getLast().epoch()));
            Files.write(dir.resolve(HISTORY), ArtifactJson.write(history));
        }
    }

    /** Loads an epoch's saved weights into the model. */
    void restore(Model model, int epoch) throws IOException {
        try {
            model.load(dir, prefix(epoch));
        } catch (MalformedModelException e) {
            throw new IOException("checkpoint of epoch " + epoch + " in " + dir + " is damaged: " + e.getMessage()
                    + "; delete it and its history entry, or start over", e);
        }
    }

    /** Copies an epoch's saved weights to another parameters file (the file does not depend on its name). */
    void copy(int epoch, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Files.copy(dir.resolve(prefix(epoch) + "-0000.params"), target, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String prefix(int epoch) {
        return String.format(Locale.ROOT, "epoch-%03d", epoch);
    }
}
