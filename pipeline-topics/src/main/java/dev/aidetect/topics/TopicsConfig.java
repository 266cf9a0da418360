package dev.aidetect.topics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The pipeline topics a service creates when they are missing ({@code aidetect.topics.*}). */
@ConfigMapping(prefix = "aidetect.topics")
public interface TopicsConfig {
    /** Partitions of every pipeline topic; all topics need the same count. Env AIDETECT_TOPICS_PARTITIONS. */
    @WithDefault("3")
    int partitions();

    /** Replication factor of new pipeline topics (1 for a single local broker). */
    @WithDefault("1")
    short replicationFactor();
}
