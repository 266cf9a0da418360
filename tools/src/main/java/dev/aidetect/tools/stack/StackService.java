package dev.aidetect.tools.stack;

import java.nio.file.Path;

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

    /** The fast-jar launcher the Quarkus build writes. */
    public Path jar(Path projectRoot) {
        return projectRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }
}
