package dev.aidetect.tools.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An earlier evaluation to compare a run with ({@code eval --baseline}), read back from the {@value EvalReport#JSON}
 * it wrote: its run id and models, its overall and per-generator figures, its sweep points, and how many images
 * (real, fake) each of its groups held, which says whether it saw the same data.
 *
 * @param source the file it was read from
 * @param run its run id
 * @param models its models, id to version (sorted by id, as the report names them)
 * @param all its figures over everything
 * @param generators its figures per generator group, by generator
 * @param sweeps its sweep points, in its order
 * @param counts the size of each of its groups but {@code all}'s own figures: the data it saw
 */
record Baseline(Path source, String run, Map<String, String> models, Figures all, Map<String, Figures> generators,
        List<Point> sweeps, List<Count> counts) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    Baseline {
        models = Collections.unmodifiableMap(new TreeMap<>(models));
    }

    /** Accuracy at the served threshold, AP and ROC AUC of one group; NaN where not defined. */
    record Figures(double accuracy, double averagePrecision, double auc) {
        static final Figures NONE = new Figures(Double.NaN, Double.NaN, Double.NaN);

        static Figures of(EvalMetrics.Group g) {
            return new Figures(g.accuracy(), g.averagePrecision(), g.auc());
        }
    }

    /** One sweep point's figures over everything. */
    record Point(String kind, double value, Figures figures) {
        String label() {
            return new SweepPoint(kind, value).label();
        }
    }

    /** How many images, real and fake, one group (everything, a data set, family or generator) held. */
    record Count(String level, String name, int images, int real, int fake) {
        String describe() {
            String what = level.equals("all") ? "images" : level + " " + name;
            return String.format(Locale.ROOT, "%s: %d (%d real, %d fake)", what, images, real, fake);
        }
    }

    /**
     * Reads the {@value EvalReport#JSON} at {@code path}, or in it when {@code path} is the folder an eval wrote.
     *
     * @throws IllegalArgumentException saying what was wrong with it and what to give instead
     */
    static Baseline read(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve(EvalReport.JSON) : path;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--baseline " + path + ": no such file; give the " + EvalReport.JSON
                    + " (or the folder) that an earlier ./aidetect eval wrote");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("--baseline " + file + " is not JSON (" + e.getOriginalMessage()
                    + "); give the " + EvalReport.JSON + " that an earlier ./aidetect eval wrote", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("--baseline " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (root == null || !EvalReport.FORMAT.equals(root.path("format").asText())
                || !root.path("groups").isArray() || root.path("groups").isEmpty()) {
            throw new IllegalArgumentException("--baseline " + file + " is not an eval report (no \"format\": \""
                    + EvalReport.FORMAT + "\" with groups); give the " + EvalReport.JSON + " that an earlier "
                    + "./aidetect eval wrote, not its report.html or CSV");
        }
        Map<String, String> models = new TreeMap<>();
        root.path("run").path("models").properties().forEach(e -> models.put(e.getKey(), e.getValue().asText()));
        Figures all = null;
        Map<String, Figures> generators = new LinkedHashMap<>();
        List<Count> counts = new ArrayList<>();
        for (JsonNode g : root.path("groups")) {
            String level = g.path("level").asText();
            counts.add(new Count(level, g.path("name").asText(), g.path("images").asInt(), g.path("real").asInt(),
                    g.path("fake").asInt()));
            if (level.equals("all")) {
                all = figures(g);
            } else if (level.equals("generator")) {
                generators.put(g.path("name").asText(), figures(g));
            }
        }
        List<Point> sweeps = new ArrayList<>();
        for (JsonNode s : root.path("sweeps")) {
            JsonNode first = s.path("groups").path(0);
            sweeps.add(new Point(s.path("kind").asText(), s.path("value").asDouble(),
                    first.isMissingNode() ? Figures.NONE : figures(first)));
        }
        return new Baseline(file, root.path("run").path("id").asText("?"), models,
                all == null ? Figures.NONE : all, generators, sweeps, counts);
    }

    /** The groups' sizes, as {@link #counts()} holds them. */
    static List<Count> counts(List<EvalMetrics.Group> groups) {
        return groups.stream().map(g -> new Count(g.level(), g.name(), g.images(), g.real(), g.fake())).toList();
    }

    /**
     * What differs between the data this baseline saw and the data of {@code groups} (a run's groups, everything
     * first), or {@code null} when they match: the image count, real and fake, and each data set, family and
     * generator with its count.
     */
    String differs(List<EvalMetrics.Group> groups) {
        List<Count> mine = counts(groups);
        Map<String, Count> theirs = new LinkedHashMap<>();
        counts.forEach(c -> theirs.put(c.level() + "|" + c.name(), c));
        for (Count c : mine) {
            Count other = theirs.remove(c.level() + "|" + c.name());
            if (other == null) {
                return "this run has " + c.describe() + ", the baseline has no " + c.level() + " " + c.name();
            }
            if (!other.equals(c)) {
                return "this run has " + c.describe() + ", the baseline " + other.describe();
            }
        }
        return theirs.values().stream().findFirst()
                .map(c -> "the baseline has " + c.describe() + ", this run has no " + c.level() + " " + c.name())
                .orElse(null);
    }

    /**
     * Refuses a baseline that saw other data than {@code groups}.
     *
     * @throws IllegalArgumentException one line: what differs and what to do
     */
    void requireSameData(List<EvalMetrics.Group> groups) {
        String difference = differs(groups);
        if (difference != null) {
            throw new IllegalArgumentException("--baseline " + source + " (run " + run + ") was evaluated on other "
                    + "data: " + difference + "; evaluate both with the same --dataset folders, --limit and "
                    + "--fake-family/--fake-generator, or drop --baseline");
        }
    }

    private static Figures figures(JsonNode g) {
        return new Figures(number(g, "accuracy"), number(g, "averagePrecision"), number(g, "auc"));
    }

    /** JSON writes an undefined number as null. */
    private static double number(JsonNode node, String name) {
        JsonNode value = node.path(name);
        return value.isNumber() ? value.asDouble() : Double.NaN;
    }
}
