package dev.aidetect.schemas.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;

/**
 * Every version of every record this project has published, so that a reader can still decode a message written
 * before a field was added. Versions live in {@code dev/aidetect/schemas/history/} on the classpath, one standalone
 * schema per file, listed oldest first in {@code index.txt} ({@code #} starts a comment line). The last version of a
 * record is the generated class's own schema: it is there before the record changes again, so the reader built after
 * that change still knows it ({@code SchemaHistoryTest} fails the build otherwise; {@code schemas/README.md} says how
 * to change a record).
 */
public final class SchemaHistory {
    private static final String ROOT = "/dev/aidetect/schemas/history/";
    private static final List<Version> VERSIONS = load();

    private SchemaHistory() {
    }

    /**
     * One entry of the history.
     *
     * @param file the file name in the history, {@code <Record>-v<n>.avsc}
     * @param schema the standalone schema it holds (named types inlined)
     */
    record Version(String file, Schema schema) {
    }

    /** Every version of the record with this full name, oldest first; the last is the generated class's. */
    public static List<Schema> versionsOf(String fullName) {
        return VERSIONS.stream().map(Version::schema).filter(s -> s.getFullName().equals(fullName)).toList();
    }

    /** Every entry of {@code index.txt}, in its order. */
    static List<Version> versions() {
        return VERSIONS;
    }

    private static List<Version> load() {
        List<Version> versions = new ArrayList<>();
        for (String line : read("index.txt").split("\\R")) {
            String file = line.strip();
            if (!file.isEmpty() && !file.startsWith("#")) {
                versions.add(new Version(file, new Schema.Parser().parse(read(file))));
            }
        }
        return List.copyOf(versions);
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
