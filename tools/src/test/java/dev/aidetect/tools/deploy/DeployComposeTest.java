package dev.aidetect.tools.deploy;

import static dev.aidetect.tools.deploy.DeployFiles.ROOT;
import static dev.aidetect.tools.deploy.DeployFiles.at;
import static dev.aidetect.tools.deploy.DeployFiles.list;
import static dev.aidetect.tools.deploy.DeployFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.aidetect.tools.ServiceConfigNames;
import dev.aidetect.tools.models.ModelsInitCommand;
import dev.aidetect.tools.train.DemoModels;

/**
 * {@code docker-compose.yml} as an operator runs it: it starts on a host without a GPU (the reservation lives in the
 * opt-in override), only the ports meant for clients listen beyond this host, every service comes back after a crash
 * or reboot, the one-shot models service fills the volume the classifier reads before the classifier starts, and every
 * Java image gets deploy/runtime.env's JVM flags. Both files also pass Debian's {@code docker-compose config}, so
 * they stay within what Compose 1.29 parses as well as Compose v2.
 */
class DeployComposeTest {
    private static final Path COMPOSE = ROOT.resolve("docker-compose.yml");
    private static final Path GPU = ROOT.resolve("deploy/docker-compose.gpu.yml");
    /** The host ports clients use, published on every interface (service, "host:container"). */
    private static final Map<String, String> CLIENT_PORTS = Map.of("kafka", "9092:29092", "router", "8083:8083");
    /** The project's service images and the module each runs. */
    private static final Map<String, String> MODULES = Map.of("embedder", "embedder-service", "classifier",
            "classifier-service", "router", "hierarchy-router", "models", "tools");
    private static final Pattern ENTRYPOINT = Pattern.compile("(?m)^ENTRYPOINT (.+)$");

    private static Map<String, Object> services;

    @BeforeAll
    static void readCompose() throws IOException {
        services = map(DeployFiles.yaml(COMPOSE).get("services"));
    }

    @Test
    void theDefaultFileReservesNoGpuSoItStartsOnAnyHost() {
        services.forEach((name, service) -> assertThat(at(map(service), "deploy", "resources", "reservations"))
                .as("%s reserves devices in docker-compose.yml; GPUs belong in deploy/docker-compose.gpu.yml", name)
                .isNull());
    }

    @Test
    void theGpuOverrideGivesTheEmbedderOneNvidiaGpuAndTouchesNoUnknownService() throws IOException {
        Map<String, Object> overridden = map(DeployFiles.yaml(GPU).get("services"));

        assertThat(services.keySet()).containsAll(overridden.keySet());
        List<Object> devices = list(at(map(overridden.get("embedder")), "deploy", "resources", "reservations",
                "devices"));
        assertThat(devices).singleElement().satisfies(device -> {
            assertThat(map(device)).containsEntry("driver", "nvidia").containsEntry("count", 1);
            assertThat(list(map(device).get("capabilities"))).containsExactly("gpu");
        });
    }

    @Test
    void onlyTheClientPortsListenBeyondLoopback() {
        services.forEach((name, service) -> {
            for (Object port : list(map(service).get("ports"))) {
                String mapping = String.valueOf(port);
                if (mapping.equals(CLIENT_PORTS.get(name))) {
                    continue;
                }
                assertThat(mapping).as("%s publishes %s; only %s may listen on every interface", name, mapping,
                        CLIENT_PORTS).startsWith("127.0.0.1:");
            }
        });
        CLIENT_PORTS.forEach((name, mapping) -> assertThat(list(map(services.get(name)).get("ports")))
                .as("%s's client port", name).contains(mapping));
    }

    @Test
    void everyLongRunningServiceRestartsAndTheOneShotModelsServiceDoesNot() {
        services.forEach((name, service) -> assertThat(map(service).get("restart")).as("%s's restart policy", name)
                .isEqualTo(name.equals("models") ? "no" : "unless-stopped"));
    }

    @Test
    void theModelsServiceFillsTheVolumeTheClassifierReadsBeforeTheClassifierStarts() throws IOException {
        Map<String, Object> models = map(services.get("models"));
        Map<String, Object> classifier = map(services.get("classifier"));

        assertThat(map(DeployFiles.yaml(COMPOSE).get("volumes"))).containsKey("models");
        assertThat(list(models.get("volumes"))).contains("models:/models");
        assertThat(list(classifier.get("volumes"))).contains("models:/models:ro");
        List<Object> command = list(models.get("command"));
        assertThat(command.subList(0, 2)).containsExactly("models", "init");
        assertThat(command.get(command.indexOf("--to") + 1)).isEqualTo("/models");
        assertThat(at(classifier, "depends_on", "models", "condition")).isEqualTo("service_completed_successfully");

        Map<String, Object> env = map(classifier.get("environment"));
        assertThat(ModelsInitCommand.classifierModels()).allSatisfy(model -> assertThat(env)
                .as("the classifier is pointed at %s, which models init writes", model)
                .containsValue("/models/" + model));
        // The default source of trained models exists in a fresh clone and holds none: the demo's are trained.
        Path defaultSource = ROOT.resolve("deploy/models/demo");
        assertThat(list(models.get("volumes")))
                .contains("${AIDETECT_MODELS_DIR:-./deploy/models/demo}:/source/models:ro");
        assertThat(ModelsInitCommand.classifierModels()).allSatisfy(model -> assertThat(defaultSource.resolve(model))
                .doesNotExist());
        assertThat(list(models.get("volumes"))).contains(
                "${AIDETECT_ENCODER_DIR:-./" + Path.of(DemoModels.ENCODER_MANIFEST).getParent()
                        + "}:/source/encoder:ro");
    }

    @Test
    void everyJavaImageStartsWithTheJvmFlagsOfRuntimeEnv() throws IOException {
        for (Map.Entry<String, String> service : MODULES.entrySet()) {
            Map<String, Object> definition = map(services.get(service.getKey()));
            Object envFile = definition.get("env_file");
            assertThat(envFile instanceof List<?> files ? files : List.of(String.valueOf(envFile)))
                    .as("%s's env_file", service.getKey()).contains("deploy/runtime.env");
            assertThat(map(definition.get("environment"))).as("%s's environment", service.getKey())
                    .doesNotContainKeys("AIDETECT_JVM_FLAGS", "JAVA_OPTS_APPEND", "JAVA_TOOL_OPTIONS");
            assertThat(at(definition, "build", "context")).isEqualTo("./" + service.getValue());
            Path dockerfile = ROOT.resolve(service.getValue())
                    .resolve(String.valueOf(at(definition, "build", "dockerfile")));
            Matcher entrypoint = ENTRYPOINT.matcher(Files.readString(dockerfile));
            assertThat(entrypoint.find()).as("%s has an ENTRYPOINT", dockerfile).isTrue();
            assertThat(entrypoint.group(1)).as("%s's ENTRYPOINT", dockerfile)
                    .contains("exec java $AIDETECT_JVM_FLAGS $JAVA_OPTS -jar");
        }
    }

    @Test
    void everyVariableGivenToAServiceIsOneItReads() throws IOException {
        for (String service : List.of("embedder", "classifier", "router")) {
            Map<String, Object> env = map(map(services.get(service)).get("environment"));
            assertThat(ServiceConfigNames.environmentNamesOf(ROOT, MODULES.get(service)))
                    .as("variables %s reads", service).containsAll(env.keySet());
        }
    }

    @Test
    void bothFilesPassDockerComposeConfig() throws Exception {
        DeployFiles.Run plain = DeployFiles.run("docker-compose", "-f", "docker-compose.yml",
                "config", "-q");
        DeployFiles.Run gpu = DeployFiles.run("docker-compose", "-f", "docker-compose.yml", "-f",
                "deploy/docker-compose.gpu.yml", "config", "-q");

        assertThat(plain.exit()).as(plain.output()).isZero();
        assertThat(gpu.exit()).as(gpu.output()).isZero();
    }
}
