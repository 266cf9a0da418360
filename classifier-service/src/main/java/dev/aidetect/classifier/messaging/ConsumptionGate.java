package dev.aidetect.classifier.messaging;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        Map<String, PausableChannel> gates = new LinkedHashMap<>();
        for (ModelSlot slot : ModelSlot.values()) {
            gates.computeIfAbsent(Channels.servedBy(slot), this::pausable);
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

    /**
     * Loads the slots in order and resumes a channel once every model it decides with has loaded (detection fused
     * needs the head and the network); a channel with a model that failed stays paused.
     */
    private void loadAndOpen(Map<String, PausableChannel> gates) {
        Map<String, Set<ModelSlot>> waiting = new HashMap<>();
        for (ModelSlot slot : ModelSlot.values()) {
            if (models.isConfigured(slot)) {
                waiting.computeIfAbsent(Channels.servedBy(slot), channel -> EnumSet.noneOf(ModelSlot.class)).add(slot);
            }
        }
        Map<String, List<String>> servedWith = new HashMap<>();
        waiting.forEach((channel, slots) -> servedWith.put(channel,
                slots.stream().map(ModelSlot::description).toList()));
        for (ModelSlot slot : ModelSlot.values()) {
            String channel = Channels.servedBy(slot);
            Set<ModelSlot> left = waiting.get(channel);
            if (models.load(slot) && left != null && left.remove(slot) && left.isEmpty()) {
                gates.get(channel).resume();
                LOG.infof("Consuming %s with the %s", channel, String.join(" and the ", servedWith.get(channel)));
            }
        }
    }
}
