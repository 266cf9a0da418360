package dev.aidetect.topics;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where a service puts the records it cannot read ({@code aidetect.dead-letters.*}). */
@ConfigMapping(prefix = "aidetect.dead-letters")
public interface DeadLettersConfig {
    /**
     * The service's name in dead letters, metrics and its topic {@code deadletters.<service>}: {@code embedder},
     * {@code classifier} or {@code router}, set in each service's application.properties.
     */
    String service();

    /** How long a consumer waits for the broker to take a dead letter before it treats the send as failed. */
    @WithDefault("30s")
    Duration sendTimeout();
}
