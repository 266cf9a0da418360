package dev.aidetect.tools.deploy;

import static dev.aidetect.tools.deploy.DeployFiles.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.testing.GrafanaDashboard;

/**
 * The Grafana dashboard without a running stack: every panel's query, its variables expanded, is PromQL that promtool
 * accepts, reads only aidetect series a service emits, and the per-generator panels count decided cases only. The
 * live proof, each query returning series from a running pipeline, is end-to-end's {@code DashboardQueriesIT}.
 */
class DashboardTest {
    static final Path DASHBOARD = ROOT.resolve("deploy/grafana/dashboards/aidetect.json");

    @TempDir
    Path dir;

    @Test
    void everyPanelQueryIsPromQlThatPromtoolAcceptsWithItsVariablesExpanded() throws Exception {
        GrafanaDashboard dashboard = GrafanaDashboard.read(DASHBOARD);
        assertThat(dashboard.variables()).containsExactly("datasource", "source", "run");

        // promtool parses expressions only as rules: one recording rule per panel query.
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        List<GrafanaDashboard.Query> queries = dashboard.queries();
        for (int i = 0; i < queries.size(); i++) {
            String expr = queries.get(i).expand(Duration.ofMinutes(5), dashboard.all());
            rules.append("      - record: dashboard:query").append(i).append('\n')
                    .append("        expr: '").append(expr.replace("'", "''")).append("'\n");
        }
        Path file = Files.writeString(dir.resolve("dashboard-rules.yml"), rules);

        DeployFiles.Run check = DeployFiles.run("promtool", "check", "rules", file.toString());

        assertThat(queries).hasSizeGreaterThanOrEqualTo(40);
        assertThat(check.exit()).as(check.output() + "\n" + rules).isZero();
        assertThat(check.output()).contains("SUCCESS: " + queries.size() + " rules found");
    }

    @Test
    void everyAidetectSeriesAPanelReadsIsEmittedByAService() throws IOException {
        Set<String> read = new HashSet<>();
        for (GrafanaDashboard.Query query : GrafanaDashboard.read(DASHBOARD).queries()) {
            Matcher series = DeployFiles.AIDETECT_SERIES.matcher(query.expr());
            while (series.find()) {
                read.add(series.group());
            }
        }

        assertThat(read).contains("aidetect_router_finals_total", "aidetect_embedder_queue_seconds_bucket",
                "aidetect_classifier_reloads_total");
        assertThat(DeployFiles.emittedSeries()).as("series the services emit").containsAll(read);
    }

    @Test
    void panelsPerGeneratorOrFamilyCountOnlyDecidedCases() throws IOException {
        // A case detection called FAKE that then timed out or was rejected has no family or generator ("none / none").
        List<GrafanaDashboard.Query> perGenerator = GrafanaDashboard.read(DASHBOARD).queries().stream()
                .filter(query -> query.expr().matches("(?s).*by \\([^)]*\\b(generator|family)\\b.*")).toList();

        assertThat(perGenerator).hasSizeGreaterThanOrEqualTo(4)
                .allSatisfy(query -> assertThat(query.expr()).as(query.panel()).contains("status=\"DECIDED\""));
    }
}
