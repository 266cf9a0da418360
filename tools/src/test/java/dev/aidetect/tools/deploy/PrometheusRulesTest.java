package dev.aidetect.tools.deploy;

import static dev.aidetect.tools.deploy.DeployFiles.ROOT;
import static dev.aidetect.tools.deploy.DeployFiles.list;
import static dev.aidetect.tools.deploy.DeployFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

import org.junit.jupiter.api.Test;

/**
 * The alert rules of deploy/prometheus: both Prometheus configs load them, promtool's unit tests (alerts-test.yml)
 * pass and make every alert fire at least once, each alert tells the person paged what it is and what to check first,
 * and every aidetect meter a rule reads is one a service really emits.
 */
class PrometheusRulesTest {
    private static final Path PROMETHEUS = ROOT.resolve("deploy/prometheus");

    @Test
    void bothConfigsLoadTheRulesAndPassPromtool() throws Exception {
        for (String config : List.of("prometheus.yml", "prometheus-local.yml")) {
            assertThat(list(DeployFiles.yaml(PROMETHEUS.resolve(config)).get("rule_files"))).as(config)
                    .containsExactly("alerts.yml");
            DeployFiles.Run check = DeployFiles.run("promtool", "check", "config",
                    "deploy/prometheus/" + config);
            assertThat(check.exit()).as(check.output()).isZero();
        }
    }

    @Test
    void theUnitTestsOfEveryAlertPass() throws Exception {
        DeployFiles.Run test = DeployFiles.run("promtool", "test", "rules",
                "deploy/prometheus/alerts-test.yml");

        assertThat(test.exit()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertHasASeveritySummaryAndRunbookAndATestInWhichItFires() throws IOException {
        Set<String> firedInTests = new HashSet<>();
        for (Object test : list(DeployFiles.yaml(PROMETHEUS.resolve("alerts-test.yml")).get("tests"))) {
            for (Object check : list(map(test).get("alert_rule_test"))) {
                if (!list(map(check).get("exp_alerts")).isEmpty()) {
                    firedInTests.add(String.valueOf(map(check).get("alertname")));
                }
            }
        }

        List<Map<String, Object>> alerts = alerts();
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(8);
        for (Map<String, Object> alert : alerts) {
            String name = String.valueOf(alert.get("alert"));
            assertThat(map(alert.get("labels")).get("severity")).as(name).isIn("critical", "warning");
            assertThat(map(alert.get("annotations"))).as(name).containsKeys("summary", "runbook");
            assertThat(String.valueOf(map(alert.get("annotations")).get("runbook"))).as(name).isNotBlank();
            assertThat(firedInTests).as("alerts-test.yml has a case in which %s fires", name).contains(name);
        }
    }

    @Test
    void everyAidetectSeriesARuleReadsIsEmittedByAService() throws IOException {
        Set<String> emitted = DeployFiles.emittedSeries();
        assertThat(emitted).contains("aidetect_router_finals_total", "aidetect_classifier_reloads_total");

        Set<String> read = new HashSet<>();
        for (Object group : list(DeployFiles.yaml(PROMETHEUS.resolve("alerts.yml")).get("groups"))) {
            for (Object rule : list(map(group).get("rules"))) {
                Matcher series = DeployFiles.AIDETECT_SERIES.matcher(String.valueOf(map(rule).get("expr")));
                while (series.find()) {
                    read.add(series.group());
                }
            }
        }
        assertThat(read).isNotEmpty();
        assertThat(emitted).as("series the services emit").containsAll(read);
    }

    private static List<Map<String, Object>> alerts() throws IOException {
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (Object group : list(DeployFiles.yaml(PROMETHEUS.resolve("alerts.yml")).get("groups"))) {
            for (Object rule : list(map(group).get("rules"))) {
                if (map(rule).containsKey("alert")) {
                    alerts.add(map(rule));
                }
            }
        }
        return alerts;
    }
}
