package dev.aidetect.classifier;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.aidetect.kafka.KafkaEndpoint;

/**
 * Points the packaged classifier at the trained test models and at the shared test broker the way the launcher does:
 * through KAFKA_BOOTSTRAP_SERVERS (the prod profile reads it).
 */
public class BrokerModelsResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(TrainedModels.config());
        config.put(KafkaEndpoint.ENV_BOOTSTRAP, KafkaEndpoint.bootstrapServers());
        return config;
    }

    @Override
    public void stop() {
        // The broker is shared by the JVM's tests and stops with it.
    }
}
