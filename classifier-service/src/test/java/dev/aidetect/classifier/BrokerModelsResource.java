package dev.aidetect.classifier;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.aidetect.kafka.KafkaEndpoint;

/**
 * Points the packaged classifier at the trained test models and at the shared test broker the way the launcher does:
 * through KAFKA_BOOTSTRAP_SERVERS (the prod profile reads it). Images by uri may come from a plain-http server on
 * loopback (AttributionByReferenceIT serves them so).
 */
public class BrokerModelsResource implements QuarkusTestResourceLifecycleManager {
    /** The host the tests' image server listens on, which the classifier may fetch from. */
    public static final String LOOPBACK = "127.0.0.1";

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(TrainedModels.config());
        config.put(KafkaEndpoint.ENV_BOOTSTRAP, KafkaEndpoint.bootstrapServers());
        config.put("aidetect.classifier.fetch.allowed-hosts", LOOPBACK);
        config.put("aidetect.classifier.fetch.allow-plain-http", "true");
        config.put("aidetect.classifier.fetch.allow-private-addresses", "true");
        return config;
    }

    @Override
    public void stop() {
        // The broker is shared by the JVM's tests and stops with it.
    }
}
