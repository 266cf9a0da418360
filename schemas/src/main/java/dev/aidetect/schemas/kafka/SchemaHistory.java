package dev.aidetect.schemas.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;

/**
 * Every earlier version of every record this project has published, so that a reader can still decode a message
 * written before a field was added. Versions live in {@code dev/aidetect/schemas/history/} on the classpath, listed
 * in {@code index.txt}; the current versions are the generated classes themselves.
 */
public final class SchemaHistory {
    private static final String ROOT = "/dev/aidetect/schemas/history/";
    private static final List<Schema> SCHEMAS = load();

    private SchemaHistory() {
    }

    /** Earlier versions of the record with this full name, oldest first. */
    public static List<Schema> earlierVersionsOf(String fullName) {
        return SCHEMAS.stream().filter(s -> s.getFullName().equals(fullName)).toList();
    }

    private static List<Schema> load() {
        List<Schema> schemas = new ArrayList<>();
        for (String file : read("index.txt").split("\\R")) {
            if (!file.isBlank()) {
                schemas.add(new Schema.Parser().parse(read(file.strip())));
            }
        }
        return List.copyOf(schemas);
    }

    private static String read(String file) {
        try (InputStream in = SchemaHistory.class.getResourceAsStream(ROOT + file)) {
            if (in == null) {
                throw new IllegalStateException(
                        "schema history file " + ROOT + file + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema history file " + ROOT + file, e);
        }
    }
}
