package dev.aidetect.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Prometheus queries of a Grafana dashboard (its JSON model): every target of every panel, rows' nested panels
 * included, and the template variables they use, expanded the way Grafana expands them before it sends a query, so a
 * test can hand them to {@code promtool} or to a live Prometheus. The expansion rules live here once:
 * <ul>
 * <li>{@code $__rate_interval}, {@code $__range} and {@code $__interval} become one window ({@code 90s}): the test
 * views the dashboard as an instant query over the time its traffic ran;</li>
 * <li>{@code $name}, {@code ${name}} and {@code [[name]]} of a dashboard variable become the regular expression given
 * for it: Grafana's "All" is the variable's {@code allValue} ({@link #all()}), and {@link #anyOf} quotes chosen values
 * as Grafana does for a multi-value variable;</li>
 * <li>any other {@code $} reference fails, naming the panel: a variable added to the dashboard must be given a value
 * by the tests too.</li>
 * </ul>
 */
public final class GrafanaDashboard {
    private static final Pattern VARIABLE = Pattern.compile(
            "\\$\\{([A-Za-z_]\\w*)}|\\$([A-Za-z_]\\w*)|\\[\\[([A-Za-z_]\\w*)]]");
    private static final List<String> WINDOWS = List.of("__rate_interval", "__range", "__interval");

    /**
     * One target of a panel.
     *
     * @param panel the panel's title
     * @param refId the target's id within the panel (A, B, ...)
     * @param expr the PromQL expression as written, variables unexpanded
     * @param instant whether Grafana sends it as an instant query (tables, bar gauges) rather than a range query
     */
    public record Query(String panel, String refId, String expr, boolean instant) {
        /** {@code expr} with the window and variable values substituted (see {@link GrafanaDashboard}). */
        public String expand(Duration window, Map<String, String> variables) {
            Matcher reference = VARIABLE.matcher(expr);
            StringBuilder expanded = new StringBuilder();
            while (reference.find()) {
                String name = reference.group(1) != null
                        ? reference.group(1)
                        : reference.group(2) != null ? reference.group(2) : reference.group(3);
                String value = WINDOWS.contains(name) ? window.toSeconds() + "s" : variables.get(name);
                if (value == null) {
                    throw new IllegalArgumentException("panel '" + panel + "' (" + refId + ") uses $" + name
                            + ", which has no value here: give the tests a value for it (known: " + variables.keySet()
                            + " and " + WINDOWS + ")");
                }
                reference.appendReplacement(expanded, Matcher.quoteReplacement(value));
            }
            return reference.appendTail(expanded).toString();
        }
    }

    private final List<Query> queries;
    private final List<String> variables;
    private final Map<String, String> all;

    private GrafanaDashboard(List<Query> queries, List<String> variables, Map<String, String> all) {
        this.queries = List.copyOf(queries);
        this.variables = List.copyOf(variables);
        this.all = Map.copyOf(all);
    }

    /** Reads a dashboard's JSON model (the file Grafana's provisioning loads). */
    public static GrafanaDashboard read(Path file) throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
        List<Query> queries = new ArrayList<>();
        collect(dashboard.path("panels"), queries);
        List<String> variables = new ArrayList<>();
        Map<String, String> all = new HashMap<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            String name = variable.path("name").asText();
            variables.add(name);
            if (variable.path("includeAll").asBoolean(false)) {
                if (!variable.hasNonNull("allValue")) {
                    throw new IllegalArgumentException("variable $" + name + " of " + file + " offers All without an "
                            + "allValue: Grafana then sends every value it found, which no test can expand; set "
                            + "\"allValue\": \".*\"");
                }
                all.put(name, variable.path("allValue").asText());
            }
        }
        return new GrafanaDashboard(queries, variables, all);
    }

    private static void collect(JsonNode panels, List<Query> queries) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText("");
                if (!expr.isBlank()) {
                    queries.add(new Query(panel.path("title").asText(), target.path("refId").asText(), expr,
                            target.path("instant").asBoolean(false)));
                }
            }
            // A collapsed row keeps its panels inside it.
            collect(panel.path("panels"), queries);
        }
    }

    /** Every target with an expression, in the dashboard's order. */
    public List<Query> queries() {
        return queries;
    }

    /** The targets of the panel titled {@code title}. */
    public List<Query> panel(String title) {
        List<Query> found = queries.stream().filter(query -> query.panel().equals(title)).toList();
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no panel titled '" + title + "'; panels: "
                    + queries.stream().map(Query::panel).distinct().toList());
        }
        return found;
    }

    /** The names of the dashboard's template variables, the data source selector included. */
    public List<String> variables() {
        return variables;
    }

    /** Each variable that offers "All", with the regular expression All stands for: the dashboard as it opens. */
    public Map<String, String> all() {
        return all;
    }

    /** A multi-value variable's regular expression for {@code values}, each matched literally, as Grafana builds it. */
    public static String anyOf(List<String> values) {
        String alternatives = values.stream().map(GrafanaDashboard::quote).collect(Collectors.joining("|"));
        return values.size() == 1 ? alternatives : "(" + alternatives + ")";
    }

    /** Escapes what RE2 reads as an operator, twice over: once for the regex, once for the PromQL string. */
    private static String quote(String value) {
        return value.replaceAll("[\\\\^$.|?*+()\\[\\]{}]", "\\\\\\\\$0");
    }
}
