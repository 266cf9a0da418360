package dev.aidetect.embedder.messaging;

import java.util.HashMap;
import java.util.Map;

import io.smallrye.reactive.messaging.memory.InMemoryConnector;

/**
 * The service's channels on the in-memory connector, for a test profile. Each channel is named as its topic, dots
 * included, so its configuration keys quote the name, as application.properties does: the connector's helpers write it
 * bare, and {@code mp.messaging.incoming.images.ingest.connector} configures a channel named {@code images}.
 */
public final class InMemoryChannelConfig {

    private InMemoryChannelConfig() {
    }

    /** images.ingest in, images.embedded and images.rejected out, all in memory. */
    public static Map<String, String> overrides() {
        Map<String, String> config = new HashMap<>(
                InMemoryConnector.switchIncomingChannelsToInMemory(quoted(Channels.INGEST)));
        config.putAll(InMemoryConnector.switchOutgoingChannelsToInMemory(quoted(Channels.EMBEDDED),
                quoted(Channels.REJECTED)));
        return config;
    }

    private static String quoted(String channel) {
        return '"' + channel + '"';
    }
}
