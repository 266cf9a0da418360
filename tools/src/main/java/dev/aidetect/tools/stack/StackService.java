package dev.aidetect.tools.stack;

import java.nio.file.Path;
import java.util.Locale;

/** The three services of the pipeline as packaged Quarkus applications, with their default HTTP ports. */
public enum StackService {
    EMBEDDER("embedder-service", 8081), CLASSIFIER("classifier-service", 8082), ROUTER("hierarchy-router", 8083);

    private final String module;
    private final int defaultPort;

    StackService(String module, int defaultPort) {
        this.module = module;
        this.defaultPort = defaultPort;
    }

    public String module() {
        return module;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /**
     * This service's own Kafka client settings file in {@code dir}: {@code embedder.properties},
     * {@code classifier.properties} or {@code router.properties} (see {@code up --kafka-config-dir}).
     */
    public Path kafkaConfigFile(Path dir) {
        return dir.resolve(name().toLowerCase(Locale.ROOT) + ".properties");
    }

    /** The fast-jar launcher the Quarkus build writes. */
    public Path jar(Path projectRoot) {
        return projectRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }
}
