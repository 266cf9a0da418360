package dev.aidetect.tools.models;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import dev.aidetect.common.MoreFiles;
import dev.aidetect.schemas.Topics;
import dev.aidetect.tools.cli.CommandFailure;
import dev.aidetect.tools.train.DemoModels;
import dev.aidetect.tools.train.ModelTraining;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Fills the classifier's models directory, as the compose stack's one-shot {@code models} service does before the
 * classifier starts: the trained models of {@code --from} when it holds them, else the demo's models trained for
 * {@code --encoder} (kept, and not trained again, while that encoder is unchanged).
 */
@Command(name = "init", mixinStandardHelpOptions = true, description = "Fill a models directory for the classifier "
        + "(detection.head, family.head, attribution-gan/, attribution-diffusion/): copy them from --from when it holds "
        + "them, else train the demo's models for --encoder (about a minute; kept while the encoder is unchanged).")
public final class ModelsInitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--to", required = true, paramLabel = "DIR", description = "The models directory to fill (its "
            + "contents are replaced; the directory itself is kept, so it may be a mounted volume).")
    Path to;

    @Option(names = "--from", paramLabel = "DIR", description = "Trained models (aidetect train heads|attribution "
            + "--out DIR). A directory holding none of them means: train the demo's.")
    Path from;

    @Option(names = "--encoder", paramLabel = "MANIFEST", defaultValue = DemoModels.ENCODER_MANIFEST, description = "The embedder's encoder, which the demo's heads are trained on (default ${DEFAULT-VALUE}).")
    Path encoder;

    /**
     * Written last into the models directory, so that a pod waiting for the models (Kubernetes runs this as a Job
     * beside them) starts only once they are complete.
     */
    public static final String READY_FILE = "READY";

    /** The entries of a models directory the classifier is pointed at, in the order they are listed. */
    public static List<String> classifierModels() {
        List<String> names = new ArrayList<>(List.of(ModelTraining.DETECTION_HEAD, ModelTraining.FAMILY_HEAD));
        Topics.FAMILIES.forEach(family -> names.add(ModelTraining.attributionDir(family)));
        return names;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<String> given = from == null
                ? List.of()
                : classifierModels().stream().filter(name -> Files.exists(from.resolve(name))).toList();
        if (!given.isEmpty()) {
            List<String> missing = classifierModels().stream().filter(name -> !given.contains(name)).toList();
            if (!missing.isEmpty()) {
                throw new CommandFailure(from + " holds " + given + " but lacks " + missing + ": give all of "
                        + classifierModels() + " (aidetect train heads and train attribution --out " + from
                        + "), or none, for the demo's models");
            }
            DemoModels.clear(to);
            for (String name : given) {
                copyRecursively(from.resolve(name), to.resolve(name));
            }
            markReady(to, "copied from " + from);
            out.printf("models: copied %s from %s to %s%n", String.join(", ", given), from, to);
            return 0;
        }
        if (!Files.isRegularFile(encoder)) {
            throw new CommandFailure("encoder manifest " + encoder + " does not exist: give the embedder's encoder "
                    + "with --encoder (its manifest.json)");
        }
        out.printf("models: %s holds no trained models; the demo's models for %s%n",
                from == null ? "--from not given" : from, encoder);
        out.flush();
        Path train = Files.createTempDirectory("aidetect-demo-train");
        try {
            DemoModels.prepare(encoder, to, train, out);
        } finally {
            MoreFiles.deleteRecursively(train);
        }
        markReady(to, "the demo's models for " + encoder);
        out.printf("models: %s in %s%n", String.join(", ", classifierModels()), to);
        return 0;
    }

    private static void markReady(Path dir, String what) throws IOException {
        Files.writeString(dir.resolve(READY_FILE), "aidetect models init, " + Instant.now() + ": " + what + "\n");
    }

    private static void copyRecursively(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : paths.toList()) {
                Path copy = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
