package dev.aidetect.classifier.messaging;

import java.util.EnumMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;

import dev.aidetect.classifier.domain.ModelSlot;
import dev.aidetect.classifier.inference.ModelRegistry;

/**
 * Opens the input channels only when they can be served. At start-up (after the pipeline topics exist) it loads the
 * configured models on a background thread (readiness reports progress meanwhile) and resumes each input channel
 * once its model has loaded. A channel whose model is missing or failed stays paused: nothing is consumed that could
 * not be classified.
 */
@ApplicationScoped
public class ConsumptionGate {
    private static final Logger LOG = Logger.getLogger(ConsumptionGate.class);

    private final ModelRegistry models;
    private final ChannelRegistry channels;

    public ConsumptionGate(ModelRegistry models, ChannelRegistry channels) {
        this.models = models;
        this.channels = channels;
    }

    void start(@Observes StartupEvent event) {
        Map<ModelSlot, PausableChannel> gates = new EnumMap<>(ModelSlot.class);
        for (ModelSlot slot : ModelSlot.values()) {
            gates.put(slot, pausable(Channels.servedBy(slot)));
        }
        Thread.ofPlatform().name("classifier-model-loader").start(() -> loadAndOpen(gates));
    }

    private PausableChannel pausable(String channel) {
        PausableChannel pausable = channels.getPausable(channel);
        if (pausable == null) {
            throw new IllegalStateException("channel " + channel + " is not pausable; set mp.messaging.incoming.\""
                    + channel + "\".pausable=true so that it waits for its model");
        }
        return pausable;
    }

    private void loadAndOpen(Map<ModelSlot, PausableChannel> gates) {
        gates.forEach((slot, gate) -> {
            if (models.load(slot)) {
                gate.resume();
                LOG.infof("Consuming %s with the %s", Channels.servedBy(slot), slot.description());
            }
        });
    }
}
