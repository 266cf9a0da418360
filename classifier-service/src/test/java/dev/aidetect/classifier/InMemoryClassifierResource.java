package dev.aidetect.classifier;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

import dev.aidetect.classifier.messaging.Channels;
import dev.aidetect.kafka.KafkaEndpoint;

/**
 * Runs the classifier on trained test models with every channel in memory. The shared test broker is still there
 * because start-up creates the pipeline topics. Init args are extra configuration, e.g. a model that does not load.
 */
public class InMemoryClassifierResource implements QuarkusTestResourceLifecycleManager {
    private Map<String, String> overrides = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        overrides = Map.copyOf(initArgs);
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(TrainedModels.config());
        // Channel names contain dots, so their keys are quoted (InMemoryConnector's switch helpers do not quote).
        Channels.incoming().forEach(channel -> config.put(
                "mp.messaging.incoming.\"" + channel + "\".connector", InMemoryConnector.CONNECTOR));
        Channels.outgoing().forEach(channel -> config.put(
                "mp.messaging.outgoing.\"" + channel + "\".connector", InMemoryConnector.CONNECTOR));
        config.put("kafka.bootstrap.servers", KafkaEndpoint.bootstrapServers());
        config.putAll(overrides);
        return config;
    }

    @Override
    public void stop() {
        InMemoryConnector.clear();
    }
}
