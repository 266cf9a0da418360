package dev.aidetect.tools.deploy;

import static dev.aidetect.tools.deploy.DeployFiles.ROOT;
import static dev.aidetect.tools.deploy.DeployFiles.list;
import static dev.aidetect.tools.deploy.DeployFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The alert rules of deploy/prometheus: both Prometheus configs load them, promtool's unit tests (alerts-test.yml)
 * pass and make every alert fire at least once, each alert tells the person paged what it is and what to check first,
 * and every aidetect meter a rule reads is one a service really emits.
 */
class PrometheusRulesTest {
    private static final Path PROMETHEUS = ROOT.resolve("deploy/prometheus");
    private static final List<String> SERVICE_MODULES = List.of("embedder-service", "classifier-service",
            "hierarchy-router", "embedding");
    /** A Micrometer meter created in code: its kind and dotted name. */
    private static final Pattern METER = Pattern.compile(
            "(Counter|Timer|Gauge|DistributionSummary)\\.builder\\(\"(aidetect\\.[a-z.]+)\"|(counter|histogram)\\(\"(aidetect\\.[a-z.]+)\"");
    private static final Pattern SERIES = Pattern.compile("\\baidetect_[a-z_]+");

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
        Set<String> emitted = emittedSeries();
        assertThat(emitted).contains("aidetect_router_finals_total", "aidetect_classifier_reloads_total");

        Set<String> read = new HashSet<>();
        for (Object group : list(DeployFiles.yaml(PROMETHEUS.resolve("alerts.yml")).get("groups"))) {
            for (Object rule : list(map(group).get("rules"))) {
                Matcher series = SERIES.matcher(String.valueOf(map(rule).get("expr")));
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

    /**
     * The Prometheus names of the services' meters: dots become underscores; counters end in _total, timers in
     * _seconds (with _count, _sum, _max, _bucket), distribution summaries get the same suffixes without _seconds.
     */
    private static Set<String> emittedSeries() throws IOException {
        Set<String> series = new HashSet<>();
        for (String module : SERVICE_MODULES) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher meter = METER.matcher(Files.readString(file));
                    while (meter.find()) {
                        String kind = meter.group(1) != null ? meter.group(1) : meter.group(3);
                        String name = (meter.group(2) != null ? meter.group(2) : meter.group(4)).replace('.', '_');
                        switch (kind) {
                            case "Counter", "counter" -> series.add(name + "_total");
                            case "Gauge" -> series.add(name);
                            case "Timer", "histogram" -> List.of("_count", "_sum", "_max", "_bucket")
                                    .forEach(suffix -> series.add(name + "_seconds" + suffix));
                            default -> List.of("_count", "_sum", "_max", "_bucket")
                                    .forEach(suffix -> series.add(name + suffix));
                        }
                    }
                }
            }
        }
        return series;
    }
}
