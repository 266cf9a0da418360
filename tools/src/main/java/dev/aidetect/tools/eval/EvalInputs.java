package dev.aidetect.tools.eval;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.tools.cli.CommandFailure;
import dev.aidetect.tools.dataset.LabelledImage;

/**
 * The labelled images of the data set folders {@code eval} is given, in either layout:
 * <ul>
 * <li>the project's: {@code real/...} and {@code fake/<family>/<generator>/...} ({@link LabelledImage}); one data
 * set, named after the folder. A fake without family or generator folders (CIFAKE's flat {@code fake/}) gets them
 * from {@code --fake-family}/{@code --fake-generator} or the folder's {@code dataset.properties}
 * ({@code fake.family}, {@code fake.generator}), else stays unnamed, and a note says so;</li>
 * <li>CNNDetection's and UniversalFakeDetect's test sets: {@code <generator>/[<class>/]0_real|1_fake/...}; each
 * generator folder is a data set of its own (its reals with its fakes, as the papers score them), named
 * {@code <generator>}, its family from {@code family.<generator>} in {@code dataset.properties}, else the papers'
 * ({@link #KNOWN_FAMILIES}), else unnamed.</li>
 * </ul>
 * {@code dataset.properties} may also rename the data set ({@code name}). Files outside the labelled folders are left
 * out, with a note.
 */
final class EvalInputs {
    static final String PROPERTIES = "dataset.properties";
    /** The families of the generators in CNNDetection's and UniversalFakeDetect's test sets (the others: unnamed). */
    static final Map<String, String> KNOWN_FAMILIES = Map.ofEntries(Map.entry("progan", "gan"),
            Map.entry("stylegan", "gan"), Map.entry("stylegan2", "gan"), Map.entry("biggan", "gan"),
            Map.entry("cyclegan", "gan"), Map.entry("stargan", "gan"), Map.entry("gaugan", "gan"),
            Map.entry("whichfaceisreal", "gan"), Map.entry("guided", "diffusion"), Map.entry("ldm_200", "diffusion"),
            Map.entry("ldm_200_cfg", "diffusion"), Map.entry("ldm_100", "diffusion"),
            Map.entry("glide_100_27", "diffusion"), Map.entry("glide_50_27", "diffusion"),
            Map.entry("glide_100_10", "diffusion"));
    private static final String REAL_FOLDER = "0_real";
    private static final String FAKE_FOLDER = "1_fake";

    /** One folder as read: its data sets (one, or one per generator folder), how, and what the reader should know. */
    record Folder(Path root, String layout, List<String> datasets, List<EvalImage> images, List<String> notes) {
    }

    private EvalInputs() {
    }

    /**
     * Reads a data set folder.
     *
     * @param fakeFamily the family of fakes whose folders name none, or {@code null}
     * @param fakeGenerator the generator of fakes whose folders name none, or {@code null}
     * @throws CommandFailure when the folder is missing or in neither layout
     */
    static Folder read(Path root, String fakeFamily, String fakeGenerator) {
        if (!Files.isDirectory(root)) {
            throw new CommandFailure("--dataset " + root + " is not a folder; give a folder with real/ and fake/, or a "
                    + "CNNDetection test set (<generator>/0_real, <generator>/1_fake)");
        }
        Properties properties = properties(root);
        if (Files.isDirectory(root.resolve("real")) || Files.isDirectory(root.resolve("fake"))) {
            return project(root, properties, first(fakeFamily, properties.getProperty("fake.family")),
                    first(fakeGenerator, properties.getProperty("fake.generator")));
        }
        if (hasFolderNamed(root, REAL_FOLDER) || hasFolderNamed(root, FAKE_FOLDER)) {
            return cnnDetection(root, properties);
        }
        throw new CommandFailure("--dataset " + root + " has neither real/ and fake/ (the project's layout) nor "
                + "<generator>/[<class>/]0_real|1_fake folders (CNNDetection's and UniversalFakeDetect's test sets); "
                + "arrange the images in one of them");
    }

    private static Folder project(Path root, Properties properties, String fakeFamily, String fakeGenerator) {
        String name = properties.getProperty("name", folderName(root));
        List<EvalImage> images = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int unnamed = 0;
        int outside = 0;
        for (LabelledImage found : LabelledImage.collect(List.of(root))) {
            ImageLabel label = found.label();
            if (label == null) {
                if (!found.file().getFileName().toString().equals(PROPERTIES)) {
                    outside++;
                }
                continue;
            }
            String family = label.getFamily();
            String generator = label.getGenerator();
            if (label.getAuthenticity() == Authenticity.FAKE && (family == null || generator == null)) {
                family = first(family, fakeFamily);
                generator = first(generator, fakeGenerator);
                if (family == null || generator == null) {
                    unnamed++;
                }
            }
            ImageLabel named = new ImageLabel(label.getAuthenticity(), family, generator, name);
            images.add(new EvalImage(name + "/" + relative(root, found.file()),
                    new LabelledImage(found.file(), named)));
        }
        if (unnamed > 0) {
            notes.add(String.format("%s: %d fakes have no fake/<family>/<generator>/ folders: they count as family "
                    + "and generator '%s' (name them with --fake-family and --fake-generator, or fake.family and "
                    + "fake.generator in %s)", name, unnamed, EvalImage.UNNAMED, root.resolve(PROPERTIES)));
        } else if (fakeFamily != null || fakeGenerator != null) {
            notes.add(String.format("%s: fakes without family or generator folders are %s/%s", name,
                    fakeFamily == null ? EvalImage.UNNAMED : fakeFamily,
                    fakeGenerator == null ? EvalImage.UNNAMED : fakeGenerator));
        }
        if (outside > 0) {
            notes.add(String.format("%s: left out %d files outside real/ and fake/", name, outside));
        }
        return new Folder(root, "real/, fake/<family>/<generator>/", List.of(name), images, notes);
    }

    private static Folder cnnDetection(Path root, Properties properties) {
        Map<String, List<EvalImage>> byGenerator = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        int outside = 0;
        List<String> unknownFamily = new ArrayList<>();
        for (Path file : files(root)) {
            List<String> parts = new ArrayList<>();
            root.relativize(file).forEach(p -> parts.add(p.toString()));
            int labelAt = Math.max(parts.lastIndexOf(REAL_FOLDER), parts.lastIndexOf(FAKE_FOLDER));
            if (labelAt < 1 || file.getFileName().toString().equals(PROPERTIES)) {
                outside += file.getFileName().toString().equals(PROPERTIES) ? 0 : 1;
                continue;
            }
            String generator = parts.getFirst();
            boolean fake = parts.get(labelAt).equals(FAKE_FOLDER);
            String family = properties.getProperty("family." + generator,
                    KNOWN_FAMILIES.get(generator.toLowerCase(Locale.ROOT)));
            if (fake && family == null && !unknownFamily.contains(generator)) {
                unknownFamily.add(generator);
            }
            ImageLabel label = fake
                    ? new ImageLabel(Authenticity.FAKE, family, generator, generator)
                    : new ImageLabel(Authenticity.REAL, null, null, generator);
            byGenerator.computeIfAbsent(generator, g -> new ArrayList<>())
                    .add(new EvalImage(folderName(root) + "/" + relative(root, file), new LabelledImage(file, label)));
        }
        if (!unknownFamily.isEmpty()) {
            notes.add(String.format("%s: the family of %s is not known: their fakes count as family '%s' (name it "
                    + "with family.<generator>=gan|diffusion in %s)", folderName(root), unknownFamily,
                    EvalImage.UNNAMED, root.resolve(PROPERTIES)));
        }
        if (outside > 0) {
            notes.add(String.format("%s: left out %d files outside <generator>/.../0_real and 1_fake", folderName(root),
                    outside));
        }
        List<EvalImage> images = byGenerator.values().stream().flatMap(List::stream).toList();
        return new Folder(root, "<generator>/[<class>/]0_real|1_fake", List.copyOf(byGenerator.keySet()), images,
                notes);
    }

    private static Properties properties(Path root) {
        Properties properties = new Properties();
        Path file = root.resolve(PROPERTIES);
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new CommandFailure("cannot read " + file + ": " + e.getMessage() + "; fix or remove it");
            }
        }
        return properties;
    }

    private static boolean hasFolderNamed(Path root, String name) {
        try (Stream<Path> paths = Files.walk(root, 3)) {
            return paths.anyMatch(p -> Files.isDirectory(p) && p.getFileName().toString().equals(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> files(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    private static String folderName(Path root) {
        Path name = root.toAbsolutePath().normalize().getFileName();
        return name == null ? "dataset" : name.toString();
    }

    private static String first(String value, String fallback) {
        return value != null && !value.isBlank() ? value : fallback;
    }
}
