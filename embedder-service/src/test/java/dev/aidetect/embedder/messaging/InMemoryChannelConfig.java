package dev.aidetect.embedder.messaging;

import java.util.HashMap;
import java.util.Map;

import io.smallrye.reactive.messaging.memory.InMemoryConnector;

/** Configuration that puts the embedder's channels in memory for a Quarkus test. */
public final class InMemoryChannelConfig {
    private InMemoryChannelConfig() {
    }

    /**
     * Every channel on the in-memory connector. Channel names contain dots (they are the topics' names), so their keys
     * are quoted: InMemoryConnector's switch helpers do not quote.
     */
    public static Map<String, String> all() {
        Map<String, String> config = new HashMap<>();
        config.put("mp.messaging.incoming.\"" + Channels.INGEST + "\".connector", InMemoryConnector.CONNECTOR);
        for (String outgoing : new String[]{Channels.RECEIVED, Channels.EMBEDDED, Channels.REJECTED}) {
            config.put("mp.messaging.outgoing.\"" + outgoing + "\".connector", InMemoryConnector.CONNECTOR);
        }
        return config;
    }
}
