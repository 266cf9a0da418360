package dev.aidetect.tools.cli;

import java.nio.file.Path;
import java.util.Map;

import dev.aidetect.schemas.kafka.KafkaClientSettings;

/** Where a command's Kafka address and client settings come from, in the one order every command uses. */
final class KafkaSettingsResolver {
    private KafkaSettingsResolver() {
    }

    /**
     * The option's address, else {@code KAFKA_BOOTSTRAP_SERVERS}, else the file's {@code bootstrap.servers}; with the
     * file's settings. {@code null} when none of them names a cluster.
     *
     * @throws CommandFailure when the file cannot be read or names an unknown setting
     */
    static KafkaClientSettings resolve(String option, Path file) {
        Map<String, String> entries = read(file);
        String address = firstGiven(option, System.getenv("KAFKA_BOOTSTRAP_SERVERS"), entries.get("bootstrap.servers"));
        return address == null ? null : KafkaClientSettings.of(address, entries);
    }

    /** The file's settings for a cluster at {@code address}. */
    static KafkaClientSettings withAddress(String address, Path file) {
        return KafkaClientSettings.of(address, read(file));
    }

    static Path given(Path file) {
        return file == null || file.toString().isBlank() ? null : file;
    }

    private static Map<String, String> read(Path file) {
        if (given(file) == null) {
            return Map.of();
        }
        try {
            return KafkaClientSettings.readFile(file);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(e.getMessage() + " (" + KafkaClusterOption.CONFIG_OPTION + " or "
                    + KafkaClientSettings.FILE_ENV + " names it)", e);
        }
    }

    private static String firstGiven(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate.strip();
            }
        }
        return null;
    }
}
