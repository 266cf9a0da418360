package dev.aidetect.tools.deploy;

import static dev.aidetect.tools.deploy.DeployFiles.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import dev.aidetect.schemas.Topics;
import dev.aidetect.tools.ServiceConfigNames;

/**
 * The Kubernetes manifests of deploy/k8s, checked without a cluster. Every built-in resource binds to the Kubernetes
 * API's own types (fabric8's model) with no field left over, so a misspelt or misplaced field fails here as the API
 * server would refuse it. Then what the server cannot check: selectors find their pods, probes and services name ports
 * that exist, every variable is one the service reads, the KafkaTopics are the pipeline's with one partition count
 * that the services and the autoscalers agree on, and the ServiceMonitors give Prometheus the job names the alerts use.
 * kustomize (`kubectl kustomize`) must build each directory.
 */
class KubernetesManifestsTest {
    private static final Path K8S = ROOT.resolve("deploy/k8s");
    private static final ObjectMapper STRICT = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    /** The image of each service and the module it runs. */
    private static final Map<String, String> MODULES = Map.of("aidetect/embedder-service", "embedder-service",
            "aidetect/classifier-service", "classifier-service", "aidetect/hierarchy-router", "hierarchy-router",
            "aidetect/tools", "tools");
    private static final Pattern PARTITIONS_DEFAULT = Pattern
            .compile("@WithDefault\\(\"(\\d+)\"\\)\\s+int partitions\\(\\)");

    private static final List<Map<String, Object>> documents = new ArrayList<>();
    private static final Map<String, Deployment> deployments = new HashMap<>();
    private static final Map<String, StatefulSet> statefulSets = new HashMap<>();
    private static final Map<String, Service> services = new HashMap<>();
    private static final Map<String, ConfigMap> configMaps = new HashMap<>();
    private static final Map<String, PersistentVolumeClaim> claims = new HashMap<>();
    private static final Map<String, Job> jobs = new HashMap<>();
    private static final Map<String, Map<String, Object>> kafkaTopics = new HashMap<>();

    @BeforeAll
    static void readManifests() throws IOException {
        try (Stream<Path> files = Files.walk(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
                    .filter(f -> !f.getParent().getFileName().toString().equals("gpu")).sorted().toList()) {
                documents.addAll(DeployFiles.yamlDocuments(file));
            }
        }
        for (Map<String, Object> document : documents) {
            String kind = String.valueOf(document.get("kind"));
            String name = String.valueOf(DeployFiles.at(document, "metadata", "name"));
            switch (kind) {
                case "Deployment" -> deployments.put(name, strict(document, Deployment.class));
                case "StatefulSet" -> statefulSets.put(name, strict(document, StatefulSet.class));
                case "Service" -> services.put(name, strict(document, Service.class));
                case "ConfigMap" -> configMaps.put(name, strict(document, ConfigMap.class));
                case "PersistentVolumeClaim" -> claims.put(name, strict(document, PersistentVolumeClaim.class));
                case "Job" -> jobs.put(name, strict(document, Job.class));
                case "Namespace" -> strict(document, Namespace.class);
                case "KafkaTopic" -> kafkaTopics.put(name, document);
                case "Kafka", "KafkaNodePool", "ScaledObject", "ServiceMonitor" -> {
                }
                default -> throw new AssertionError("deploy/k8s has a " + kind + " this test does not check");
            }
        }
    }

    @Test
    void theGpuOverlayPatchesTheEmbedderWithKnownFieldsOnly() throws IOException {
        Deployment patch = strict(DeployFiles.yaml(K8S.resolve("gpu/embedder-gpu.yaml")), Deployment.class);
        Container embedder = patch.getSpec().getTemplate().getSpec().getContainers().getFirst();

        assertThat(deployments).containsKey(patch.getMetadata().getName());
        assertThat(embedder.getResources().getLimits()).containsKey("nvidia.com/gpu");
        assertThat(embedder.getEnv()).extracting(EnvVar::getName).containsExactly("PYTORCH_FLAVOR", "DJL_CACHE_DIR");
        assertThat(deployments.get("embedder").getSpec().getTemplate().getSpec().getContainers().getFirst()
                .getResources().getLimits()).as("the base embedder, on any node").doesNotContainKey("nvidia.com/gpu");
        strict(DeployFiles.yaml(K8S.resolve("gpu/djl-cuda.yaml")), PersistentVolumeClaim.class);
    }

    @Test
    void everyWorkloadSelectsItsOwnPodsAndProbesItsHealthEndpoints() {
        Map<String, PodTemplateSpec> templates = workloadTemplates();
        assertThat(templates.keySet()).contains("embedder", "classifier", "router");
        assertThat(statefulSets).containsKey("router");
        deployments.forEach((name, deployment) -> assertThat(deployment.getSpec().getTemplate().getMetadata()
                .getLabels()).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels()));
        statefulSets.forEach((name, set) -> assertThat(set.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(set.getSpec().getSelector().getMatchLabels()));
        for (String service : List.of("embedder", "classifier", "router")) {
            Container container = templates.get(service).getSpec().getContainers().getFirst();
            Set<String> ports = portNames(container);
            assertProbe(service, container.getReadinessProbe(), "/q/health/ready", ports);
            assertProbe(service, container.getLivenessProbe(), "/q/health/live", ports);
            assertProbe(service, container.getStartupProbe(), "/q/health/started", ports);
        }
    }

    @Test
    void theRouterKeepsItsStateOnItsOwnVolumeAndIsAddressedThroughItsHeadlessService() {
        StatefulSet router = statefulSets.get("router");
        Container container = router.getSpec().getTemplate().getSpec().getContainers().getFirst();
        Service pods = services.get(router.getSpec().getServiceName());

        assertThat(pods).as("the StatefulSet's serviceName").isNotNull();
        assertThat(pods.getSpec().getClusterIP()).isEqualTo("None");
        String stateDir = env(container).get("AIDETECT_ROUTER_STATE_DIR");
        assertThat(router.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(claim -> assertThat(
                container.getVolumeMounts()).anySatisfy(mount -> {
                    assertThat(mount.getName()).isEqualTo(claim.getMetadata().getName());
                    assertThat(mount.getMountPath()).isEqualTo(stateDir);
                }));
        assertThat(env(container).get("AIDETECT_ROUTER_ADVERTISED_HOST")).endsWith("." + pods.getMetadata().getName());
    }

    @Test
    void everyVolumeMountConfigMapAndClaimAWorkloadNamesExists() {
        workloadTemplates().forEach((name, template) -> {
            Set<String> volumes = new HashSet<>();
            template.getSpec().getVolumes().stream().map(Volume::getName).forEach(volumes::add);
            statefulSets.values().stream().filter(set -> set.getSpec().getTemplate() == template)
                    .flatMap(set -> set.getSpec().getVolumeClaimTemplates().stream())
                    .forEach(claim -> volumes.add(claim.getMetadata().getName()));
            for (Volume volume : template.getSpec().getVolumes()) {
                if (volume.getPersistentVolumeClaim() != null) {
                    assertThat(claims).as("%s's claim", name).containsKey(volume.getPersistentVolumeClaim()
                            .getClaimName());
                }
            }
            for (Container container : containers(template)) {
                assertThat(container.getVolumeMounts()).extracting(VolumeMount::getName).as("%s/%s mounts", name,
                        container.getName()).allSatisfy(mount -> assertThat(volumes).contains(mount));
                for (EnvFromSource from : container.getEnvFrom()) {
                    assertThat(configMaps).containsKey(from.getConfigMapRef().getName());
                }
            }
        });
    }

    @Test
    void everyVariableAContainerGetsIsOneItsServiceReads() throws IOException {
        for (Map.Entry<String, PodTemplateSpec> workload : workloadTemplates().entrySet()) {
            for (Container container : containers(workload.getValue())) {
                String module = MODULES.get(container.getImage());
                assertThat(module).as("%s runs one of the project's images", workload.getKey()).isNotNull();
                Set<String> read = new HashSet<>(ServiceConfigNames.environmentNamesOf(ROOT, module));
                read.add("POD_NAME"); // only there to be expanded into AIDETECT_ROUTER_ADVERTISED_HOST
                Set<String> given = new HashSet<>(env(container).keySet());
                for (EnvFromSource from : container.getEnvFrom()) {
                    given.addAll(configMaps.get(from.getConfigMapRef().getName()).getData().keySet());
                }
                if (module.equals("tools")) {
                    continue; // the command line takes its settings as arguments
                }
                assertThat(read).as("variables %s reads (%s)", module, workload.getKey()).containsAll(given);
            }
        }
    }

    @Test
    void everyServiceSelectsPodsThatServeItsPorts() {
        Map<String, PodTemplateSpec> templates = workloadTemplates();
        services.forEach((name, service) -> {
            List<PodTemplateSpec> selected = templates.values().stream().filter(template -> template.getMetadata()
                    .getLabels().entrySet().containsAll(service.getSpec().getSelector().entrySet())).toList();
            assertThat(selected).as("pods of Service %s", name).isNotEmpty();
            for (ServicePort port : service.getSpec().getPorts()) {
                assertThat(portNames(selected.getFirst().getSpec().getContainers().getFirst()))
                        .as("Service %s's targetPort", name).contains(port.getTargetPort().getStrVal());
            }
        });
    }

    @Test
    void theKafkaTopicsAreThePipelinesWithOnePartitionCountThatServicesAndAutoscalersAgreeOn() throws IOException {
        int partitions = topicsModuleDefaultPartitions();
        Map<String, String> shared = configMaps.get("aidetect-env").getData();

        assertThat(kafkaTopics.values()).extracting(topic -> DeployFiles.at(topic, "spec", "topicName"))
                .containsExactlyInAnyOrderElementsOf(
                        Topics.allWithDeadLetters().stream().map(topic -> topic.name()).toList());
        for (var topic : Topics.allWithDeadLetters()) {
            Map<String, Object> resource = kafkaTopics.get(topic.name());
            assertThat(DeployFiles.at(resource, "spec", "partitions")).as(topic.name()).isEqualTo(partitions);
            assertThat(DeployFiles.at(resource, "metadata", "labels", "strimzi.io/cluster")).isEqualTo("aidetect");
            Map<String, Object> config = DeployFiles.map(DeployFiles.at(resource, "spec", "config"));
            Topics.configsOf(topic).forEach((key, value) -> assertThat(String.valueOf(config.get(key)))
                    .as("%s's %s", topic.name(), key).isEqualTo(value));
        }
        assertThat(shared).containsEntry("AIDETECT_TOPICS_PARTITIONS", String.valueOf(partitions));
        assertThat(kafkaCluster()).isEqualTo("aidetect");
        assertThat(shared.get("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo(kafkaCluster() + "-kafka-bootstrap:9092");
    }

    @Test
    void autoscalersFollowTheRightConsumerGroupAndNeverOutnumberThePartitions() throws IOException {
        int partitions = topicsModuleDefaultPartitions();
        List<Map<String, Object>> scaled = kind("ScaledObject");

        assertThat(scaled).extracting(o -> DeployFiles.at(o, "spec", "scaleTargetRef", "name"))
                .containsExactlyInAnyOrder("embedder", "classifier");
        for (Map<String, Object> object : scaled) {
            String target = String.valueOf(DeployFiles.at(object, "spec", "scaleTargetRef", "name"));
            assertThat(deployments).containsKey(target);
            assertThat((Integer) DeployFiles.at(object, "spec", "maxReplicaCount")).as("%s's maxReplicaCount", target)
                    .isLessThanOrEqualTo(partitions);
            String module = MODULES.get(deployments.get(target).getSpec().getTemplate().getSpec().getContainers()
                    .getFirst().getImage());
            for (Object trigger : DeployFiles.list(DeployFiles.at(object, "spec", "triggers"))) {
                Map<String, Object> metadata = DeployFiles.map(DeployFiles.map(trigger).get("metadata"));
                assertThat(DeployFiles.map(trigger).get("type")).isEqualTo("kafka");
                assertThat(metadata.get("consumerGroup")).as("%s's consumer group", target)
                        .isEqualTo(consumerGroupOf(module, String.valueOf(metadata.get("topic"))));
                assertThat(kafkaTopics).as("%s scales on a pipeline topic", target).containsKey(
                        String.valueOf(metadata.get("topic")));
                assertThat(metadata.get("bootstrapServers"))
                        .isEqualTo(configMaps.get("aidetect-env").getData().get("KAFKA_BOOTSTRAP_SERVERS"));
                assertThat(metadata).containsEntry("allowIdleConsumers", "false");
            }
        }
    }

    @Test
    void serviceMonitorsScrapeEachServiceUnderTheJobNameTheAlertsUse() {
        List<Map<String, Object>> monitors = kind("ServiceMonitor");

        assertThat(monitors).extracting(m -> DeployFiles.at(m, "metadata", "name"))
                .containsExactlyInAnyOrder("embedder", "classifier", "router");
        for (Map<String, Object> monitor : monitors) {
            Map<String, Object> labels = DeployFiles.map(DeployFiles.at(monitor, "spec", "selector", "matchLabels"));
            List<Service> selected = services.values().stream()
                    .filter(s -> s.getMetadata().getLabels().entrySet().containsAll(labels.entrySet())).toList();
            // The job label is the Service's name: exactly the one named like the monitor, or the alerts miss it.
            assertThat(selected).extracting(s -> s.getMetadata().getName())
                    .containsExactly(String.valueOf(DeployFiles.at(monitor, "metadata", "name")));
            for (Object endpoint : DeployFiles.list(DeployFiles.at(monitor, "spec", "endpoints"))) {
                assertThat(DeployFiles.map(endpoint)).containsEntry("path", "/q/metrics");
                assertThat(selected.getFirst().getSpec().getPorts()).extracting(ServicePort::getName)
                        .contains(String.valueOf(DeployFiles.map(endpoint).get("port")));
            }
        }
    }

    @Test
    void kustomizeBuildsEachDirectory() throws Exception {
        for (String dir : List.of("base", "gpu", "kafka")) {
            DeployFiles.Run build = DeployFiles.run("kubectl", "kustomize", "deploy/k8s/" + dir);
            assertThat(build.exit()).as("kubectl kustomize deploy/k8s/%s: %s", dir, build.output()).isZero();
            assertThat(build.output()).contains("kind: ");
        }
    }

    /** Binds a manifest to its API type, failing on any field the type does not have, however deep. */
    private static <T extends KubernetesResource> T strict(Map<String, Object> document, Class<T> type) {
        T resource = STRICT.convertValue(document, type);
        assertNoUnknownFields(resource, type.getSimpleName() + " " + DeployFiles.at(document, "metadata", "name"));
        return resource;
    }

    private static void assertNoUnknownFields(Object value, String where) {
        if (value instanceof List<?> items) {
            items.forEach(item -> assertNoUnknownFields(item, where));
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.values().forEach(item -> assertNoUnknownFields(item, where));
            return;
        }
        if (value == null || !value.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                assertThat((Map<?, ?>) field).as("fields %s does not know in %s", value.getClass().getSimpleName(),
                        where).isNullOrEmpty();
            } else {
                assertNoUnknownFields(field, where + "." + getter.getName().substring(3));
            }
        }
    }

    private static Map<String, PodTemplateSpec> workloadTemplates() {
        Map<String, PodTemplateSpec> templates = new HashMap<>();
        deployments.forEach((name, deployment) -> templates.put(name, deployment.getSpec().getTemplate()));
        statefulSets.forEach((name, set) -> templates.put(name, set.getSpec().getTemplate()));
        jobs.forEach((name, job) -> templates.put(name, job.getSpec().getTemplate()));
        return templates;
    }

    private static List<Container> containers(PodTemplateSpec template) {
        List<Container> all = new ArrayList<>(template.getSpec().getInitContainers());
        all.addAll(template.getSpec().getContainers());
        return all;
    }

    private static Set<String> portNames(Container container) {
        Set<String> names = new HashSet<>();
        container.getPorts().stream().map(ContainerPort::getName).forEach(names::add);
        return names;
    }

    private static Map<String, String> env(Container container) {
        Map<String, String> env = new HashMap<>();
        container.getEnv().forEach(var -> env.put(var.getName(), var.getValue()));
        return env;
    }

    private static void assertProbe(String service, Probe probe, String path, Set<String> ports) {
        assertThat(probe).as("%s's probe on %s", service, path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).as("%s's probe", service).isEqualTo(path);
        assertThat(ports).as("%s's probe port", service).contains(probe.getHttpGet().getPort().getStrVal());
    }

    private static List<Map<String, Object>> kind(String kind) {
        return documents.stream().filter(document -> kind.equals(document.get("kind"))).toList();
    }

    private static String kafkaCluster() {
        return String.valueOf(DeployFiles.at(kind("Kafka").getFirst(), "metadata", "name"));
    }

    /** The partition count the services create topics with when nothing sets it: pipeline-topics' TopicsConfig. */
    private static int topicsModuleDefaultPartitions() throws IOException {
        Matcher matcher = PARTITIONS_DEFAULT.matcher(Files.readString(
                ROOT.resolve("pipeline-topics/src/main/java/dev/aidetect/topics/TopicsConfig.java")));
        assertThat(matcher.find()).as("TopicsConfig's @WithDefault of partitions()").isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    /** The consumer group a service's application.properties gives the channel reading a topic. */
    private static String consumerGroupOf(String module, String topic) throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(ROOT.resolve(module).resolve(
                "src/main/resources/application.properties"))) {
            properties.load(in);
        }
        String channel = properties.stringPropertyNames().stream().filter(key -> !key.startsWith("%"))
                .filter(key -> key.startsWith("mp.messaging.incoming.") && key.endsWith(".topic"))
                .filter(key -> properties.getProperty(key).equals(topic)).findFirst()
                .map(key -> key.substring(0, key.length() - ".topic".length()))
                .orElseThrow(() -> new AssertionError(module + " has no channel reading " + topic));
        return properties.getProperty(channel + ".group.id",
                properties.getProperty("mp.messaging.connector.smallrye-kafka.group.id"));
    }
}
