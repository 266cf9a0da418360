package dev.aidetect.classifier.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.aidetect.classifier.config.ClassifierConfig;
import dev.aidetect.classifier.domain.ModelSlot;

/**
 * Where a reload may read a new model from: under {@code aidetect.classifier.model-dir}, or, when that is unset, under
 * the directory holding the slot's configured model. A {@code ?path=} of {@code POST /models/{slot}/reload} is resolved
 * against that directory when relative, may not name {@code ..}, and must lie under the directory once every symbolic
 * link is followed (the directory's own included, as a Kubernetes volume's are): an absolute path elsewhere and a link
 * that leads out are refused with {@link OutsideModelDirectoryException}. A link that stays inside is kept as given, so
 * a reload may name the link an operator re-points (the watcher then follows the link, not its target). The directory
 * is the trust boundary: whoever can write in it chooses the models.
 */
@ApplicationScoped
public class ModelDirectory {
    private static final String SETTING = ClassifierConfig.PREFIX + ".model-dir (env AIDETECT_CLASSIFIER_MODEL_DIR)";

    private final Optional<Path> modelDir;
    private final ModelRegistry models;

    public ModelDirectory(ClassifierConfig config, ModelRegistry models) {
        this.modelDir = config.modelDir();
        this.models = models;
    }

    /** A path a reload of {@code slot} asked for, checked and made absolute. */
    public Path confine(ModelSlot slot, String requested) {
        Path root = modelDir.or(() -> models.configuredPath(slot).map(p -> p.toAbsolutePath().getParent()))
                .orElseThrow(() -> new OutsideModelDirectoryException("the " + slot.description() + " has no "
                        + "configured model here, so no directory to reload from; set " + SETTING));
        return confine(root, requested, modelDir.isPresent() ? SETTING : "the directory of " + slot.property());
    }

    /**
     * @param root the directory reloads may read under
     * @param requested the path asked for
     * @param rootName how messages name the directory's setting
     * @return the absolute, normalised path (links inside the directory kept)
     * @throws OutsideModelDirectoryException what is wrong with the path, and what may be asked for instead
     */
    static Path confine(Path root, String requested, String rootName) {
        String where = " (" + rootName + ", " + root + ")";
        Path given;
        try {
            given = Path.of(requested);
        } catch (InvalidPathException e) {
            throw new OutsideModelDirectoryException("path '" + requested + "' is not a file path: " + e.getReason());
        }
        for (Path part : given) {
            if (part.toString().equals("..")) {
                throw new OutsideModelDirectoryException("path '" + requested + "' names '..'; a reload reads "
                        + "only under the model directory" + where + ": name the model by its path in it");
            }
        }
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new OutsideModelDirectoryException("the model directory" + where + " cannot be read (" + e
                    + "); fix " + rootName);
        }
        Path absolute = root.toAbsolutePath().resolve(given).normalize();
        if (!absolute.startsWith(root.toAbsolutePath().normalize()) && !absolute.startsWith(realRoot)) {
            throw new OutsideModelDirectoryException("path '" + requested + "' is outside the model directory"
                    + where + "; a reload reads only models under it: copy the model there, or set "
                    + "aidetect.classifier.model-dir (env AIDETECT_CLASSIFIER_MODEL_DIR) and restart");
        }
        Path real;
        try {
            // A path not there yet: the deepest part that is there decides where it would lead.
            Path existing = absolute;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            real = existing == null
                    ? absolute
                    : existing.toRealPath().resolve(existing.relativize(absolute));
        } catch (IOException e) {
            throw new OutsideModelDirectoryException("path '" + requested + "' cannot be resolved (" + e + ")");
        }
        if (!real.startsWith(realRoot)) {
            throw new OutsideModelDirectoryException("path '" + requested + "' leads outside the model directory"
                    + where + " through a symbolic link, to " + real + "; a reload reads only models under it");
        }
        return absolute;
    }

    /** A reload path refused: the message says why and what to ask for instead. */
    public static final class OutsideModelDirectoryException extends IllegalArgumentException {
        public OutsideModelDirectoryException(String message) {
            super(message);
        }
    }
}
