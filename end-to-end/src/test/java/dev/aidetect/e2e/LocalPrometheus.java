package dev.aidetect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.aidetect.common.MoreFiles;

/**
 * Debian's {@code prometheus} in its own process with the project's configuration for a local run,
 * {@code deploy/prometheus/prometheus-local.yml}, its targets moved to the ports a test's stack listens on: the
 * config is generated from that file (jobs, paths, rule files as they are; only target ports and the intervals
 * change), so the test checks the deployed configuration, not a copy. Queries go through its HTTP API.
 */
final class LocalPrometheus implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/prometheus");
    static final Path LOCAL_CONFIG = Path.of("deploy/prometheus/prometheus-local.yml");
    /** The port Prometheus itself listens on in {@link #LOCAL_CONFIG} (its self-scrape target). */
    static final int CONFIG_PORT = 9090;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final Path log;
    private final URI api;
    private final HttpClient http = HttpClient.newHttpClient();

    private LocalPrometheus(Process process, Path log, URI api) {
        this.process = process;
        this.log = log;
        this.api = api;
    }

    /**
     * Starts Prometheus on {@code port} and waits until it is ready.
     *
     * @param ports each port a target of the local config names (8081, 8082, 8083, and {@value #CONFIG_PORT} for
     *        Prometheus itself) and the port to scrape instead
     * @param interval the scrape and rule evaluation interval
     */
    static LocalPrometheus start(Path projectRoot, Path workDir, int port, Map<Integer, Integer> ports,
            Duration interval) throws IOException, InterruptedException {
        MoreFiles.deleteRecursively(workDir);
        Files.createDirectories(workDir);
        Path config = workDir.resolve("prometheus.yml");
        Files.writeString(config, configFor(projectRoot.resolve(LOCAL_CONFIG), ports, interval));
        Path log = workDir.resolve("prometheus.log");
        Process process = new ProcessBuilder(BINARY.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + workDir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LocalPrometheus prometheus = new LocalPrometheus(process, log, URI.create("http://127.0.0.1:" + port));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!prometheus.ready()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                prometheus.close();
                throw new IllegalStateException("prometheus did not become ready on :" + port + " (exit "
                        + (process.isAlive() ? "none, still running" : process.exitValue()) + "); its log, " + log
                        + ":\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
        return prometheus;
    }

    /**
     * The local config with each target's port replaced as {@code ports} says, rule files made absolute (they are
     * relative to the config's folder) and both intervals set to {@code interval}.
     *
     * @throws IllegalArgumentException for a target on a port {@code ports} does not name
     */
    @SuppressWarnings("unchecked")
    static String configFor(Path localConfig, Map<Integer, Integer> ports, Duration interval) throws IOException {
        Map<String, Object> config = new Yaml().load(Files.readString(localConfig));
        Map<String, Object> global = (Map<String, Object>) config.get("global");
        global.put("scrape_interval", interval.toSeconds() + "s");
        global.put("evaluation_interval", interval.toSeconds() + "s");
        List<String> rules = new ArrayList<>();
        for (Object file : (List<Object>) config.getOrDefault("rule_files", List.of())) {
            rules.add(localConfig.toAbsolutePath().getParent().resolve(String.valueOf(file)).toString());
        }
        config.put("rule_files", rules);
        for (Object job : (List<Object>) config.get("scrape_configs")) {
            Map<String, Object> scrape = (Map<String, Object>) job;
            for (Object group : (List<Object>) scrape.get("static_configs")) {
                Map<String, Object> targets = (Map<String, Object>) group;
                List<String> moved = new ArrayList<>();
                for (Object target : (List<Object>) targets.get("targets")) {
                    String hostPort = String.valueOf(target);
                    int colon = hostPort.lastIndexOf(':');
                    Integer to = ports.get(Integer.parseInt(hostPort.substring(colon + 1)));
                    if (to == null) {
                        throw new IllegalArgumentException("job " + scrape.get("job_name") + " of " + localConfig
                                + " scrapes " + hostPort + ", a port the test does not know (it moves " + ports.keySet()
                                + "): give LocalPrometheus the port that service listens on in the test");
                    }
                    moved.add(hostPort.substring(0, colon + 1) + to);
                }
                targets.put("targets", moved);
            }
        }
        DumperOptions block = new DumperOptions();
        block.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(block).dump(config);
    }

    private boolean ready() {
        try {
            return http.send(HttpRequest.newBuilder(api.resolve("/-/ready")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The result of an instant query now ({@code data.result}: one entry per series), failing on an error. */
    JsonNode query(String promql) throws IOException, InterruptedException {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("result");
    }

    /** The values Prometheus knows for {@code label} on the series {@code match} selects (Grafana's label_values). */
    List<String> labelValues(String label, String match) throws IOException, InterruptedException {
        List<String> values = new ArrayList<>();
        get("/api/v1/label/" + label + "/values?match[]=" + URLEncoder.encode(match, StandardCharsets.UTF_8))
                .forEach(value -> values.add(value.asText()));
        return values;
    }

    private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asText()).as("%s answered %d: %s", pathAndQuery, response.statusCode(),
                response.body()).isEqualTo("success");
        return body.path("data");
    }

    /** The last lines of its log, for a failure message. */
    String logTail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
