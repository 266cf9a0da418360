package dev.aidetect.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrafanaDashboardTest {
    private static final String DASHBOARD = """
            {"templating": {"list": [{"name": "datasource"}, {"name": "run", "includeAll": true, "allValue": ".*"}]},
             "panels": [
               {"type": "row", "title": "Collapsed", "panels": [
                 {"title": "Inside", "targets": [{"refId": "A", "expr": "up"}]}]},
               {"title": "Per run", "targets": [
                 {"refId": "A", "expr": "sum(rate(x_total{run=~\\"$run\\"}[$__rate_interval]))"},
                 {"refId": "B", "expr": "increase(x_total{run=~\\"${run}\\"}[$__range])", "instant": true},
                 {"refId": "C", "expr": ""}]},
               {"title": "Unknown", "targets": [{"refId": "A", "expr": "x_total{job=\\"$job\\"}"}]}
             ]}
            """;

    @TempDir
    Path dir;

    @Test
    void listsEveryTargetWithAnExpressionRowsIncludedAndTheVariables() throws IOException {
        GrafanaDashboard dashboard = dashboard();

        assertThat(dashboard.queries()).extracting(GrafanaDashboard.Query::panel)
                .containsExactly("Inside", "Per run", "Per run", "Unknown");
        assertThat(dashboard.panel("Per run")).extracting(GrafanaDashboard.Query::instant).containsExactly(false, true);
        assertThat(dashboard.variables()).containsExactly("datasource", "run");
        assertThat(dashboard.all()).containsExactly(Map.entry("run", ".*"));
    }

    @Test
    void expandsTheWindowAndVariablesInBothForms() throws IOException {
        List<GrafanaDashboard.Query> perRun = dashboard().panel("Per run");
        Map<String, String> run = Map.of("run", GrafanaDashboard.anyOf(List.of("eval.1", "b")));

        assertThat(perRun.get(0).expand(Duration.ofSeconds(90), run))
                .isEqualTo("sum(rate(x_total{run=~\"(eval\\\\.1|b)\"}[90s]))");
        assertThat(perRun.get(1).expand(Duration.ofMinutes(2), dashboard().all()))
                .isEqualTo("increase(x_total{run=~\".*\"}[120s])");
    }

    @Test
    void refusesAVariableTheTestsGiveNoValueNamingThePanel() throws IOException {
        GrafanaDashboard.Query unknown = dashboard().panel("Unknown").getFirst();

        assertThatThrownBy(() -> unknown.expand(Duration.ofSeconds(90), Map.of("run", ".*")))
                .hasMessageContaining("panel 'Unknown' (A) uses $job");
    }

    private GrafanaDashboard dashboard() throws IOException {
        Path file = dir.resolve("dashboard.json");
        Files.writeString(file, DASHBOARD);
        return GrafanaDashboard.read(file);
    }
}
