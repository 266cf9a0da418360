package dev.aidetect.topics;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How long a service may take to stop ({@code aidetect.shutdown.*}; env {@code AIDETECT_SHUTDOWN_*}). */
@ConfigMapping(prefix = "aidetect.shutdown")
public interface ShutdownConfig {
    /**
     * The longest a service takes from SIGTERM to its exit, broker or no broker: what is still closing then is given
     * up and the process halts. Env AIDETECT_SHUTDOWN_DEADLINE.
     */
    @WithDefault("30s")
    Duration deadline();
}
