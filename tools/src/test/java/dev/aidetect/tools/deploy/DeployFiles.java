package dev.aidetect.tools.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.yaml.snakeyaml.Yaml;

import dev.aidetect.testing.Prerequisites;

/**
 * What the deploy/ checks share: the project root, YAML as plain maps and lists, running a validator, and the series the
 * services emit.
 */
final class DeployFiles {
    static final Path ROOT = Path.of(System.getProperty("aidetect.project.root", "..")).toAbsolutePath().normalize();

    /** An aidetect series named in a PromQL expression. */
    static final Pattern AIDETECT_SERIES = Pattern.compile("\\baidetect_[a-z_]+");
    private static final List<String> SERVICE_MODULES = List.of("embedder-service", "classifier-service",
            "hierarchy-router", "embedding", "pipeline-topics");
    /** A Micrometer meter created in code: its kind and dotted name. */
    private static final Pattern METER = Pattern.compile(
            "(Counter|Timer|Gauge|DistributionSummary)\\.builder\\(\"(aidetect\\.[a-z.]+)\"|(counter|histogram)\\(\"(aidetect\\.[a-z.]+)\"");

    private DeployFiles() {
    }

    /** One YAML document as maps, lists and scalars (anchors and merge keys resolved). */
    static Map<String, Object> yaml(Path file) throws IOException {
        Map<String, Object> document = new Yaml().load(Files.readString(file));
        assertThat(document).as(file + " is a YAML mapping").isNotNull();
        return document;
    }

    /** Every document of a multi-document YAML file, empty ones left out. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> yamlDocuments(Path file) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(Files.readString(file))) {
            if (document != null) {
                documents.add((Map<String, Object>) document);
            }
        }
        return documents;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value == null ? List.of() : (List<Object>) value;
    }

    /** The value at a path of keys, or null. */
    static Object at(Map<String, Object> document, String... keys) {
        Object value = document;
        for (String key : keys) {
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = map.get(key);
        }
        return value;
    }

    /** The output of a validator run in the project root. */
    record Run(int exit, String output) {
    }

    /** How to get each validator the checks run. */
    private static final Map<String, String> HOW_TO_GET = Map.of(
            "docker-compose", "apt-get install --no-install-recommends docker-compose (Debian's Compose 1.29)",
            "promtool", "apt-get install --no-install-recommends prometheus (Debian's package carries promtool)",
            "kubectl", "install kubectl (any recent release: its built-in kustomize builds deploy/k8s offline)");

    /**
     * Runs {@code command} (a validator) in the project root; skips with the line saying how to install it when it is
     * not on the PATH (and fails, with CI=true).
     */
    static Run run(String... command) throws IOException, InterruptedException {
        Prerequisites.require(onPath(command[0]), command[0], HOW_TO_GET.get(command[0]));
        Process process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as(String.join(" ", command) + " finishes").isTrue();
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The Prometheus names of the services' meters: dots become underscores; counters end in _total, timers in
     * _seconds (with _count, _sum, _max, _bucket), distribution summaries get the same suffixes without _seconds.
     */
    static Set<String> emittedSeries() throws IOException {
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
