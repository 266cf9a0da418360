package dev.aidetect.schemas.kafka;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.SchemaNormalization;

import dev.aidetect.schemas.kafka.SchemaHistory.Version;

/**
 * What the schema history must hold, given the current schemas: each finding is one line that names the record and
 * says what to do. Pure functions of their inputs, so tests can feed them a doctored history or schema.
 */
final class SchemaHistoryCheck {
    /** Where the history lives, in this module. */
    static final String HISTORY_DIR = "src/main/resources/dev/aidetect/schemas/history";
    /** Where the build writes the history file a finding asks for, ready to copy, in this module. */
    static final String PROPOSED_DIR = "target/schema-history";
    private static final String MODULE = "schemas/";

    private SchemaHistoryCheck() {
    }

    /**
     * A finding. {@code proposedFile} and {@code proposedSchema} are the history entry that settles it, or
     * {@code null} when no new file would.
     */
    record Finding(String message, String proposedFile, Schema proposedSchema) {
    }

    /**
     * The records that need a history: those a serde writes on their own. That is every topic's value, and every
     * record no other record contains (such as {@code RouterCase} in the router's store); a record that is only ever a
     * part of others (ModelRef, ImageLabel) changes their fingerprints instead.
     */
    static List<Schema> writtenOnTheirOwn(List<Schema> schemas, Set<String> topicValues) {
        Set<String> contained = new HashSet<>();
        for (Schema schema : schemas) {
            if (schema.getType() == Schema.Type.RECORD) {
                schema.getFields().forEach(field -> collectRecords(field.schema(), contained));
            }
        }
        return schemas.stream()
                .filter(s -> s.getType() == Schema.Type.RECORD)
                .filter(s -> topicValues.contains(s.getFullName()) || !contained.contains(s.getFullName()))
                .toList();
    }

    private static void collectRecords(Schema schema, Set<String> names) {
        switch (schema.getType()) {
            case RECORD -> {
                if (names.add(schema.getFullName())) {
                    schema.getFields().forEach(field -> collectRecords(field.schema(), names));
                }
            }
            case ARRAY -> collectRecords(schema.getElementType(), names);
            case MAP -> collectRecords(schema.getValueType(), names);
            case UNION -> schema.getTypes().forEach(branch -> collectRecords(branch, names));
            default -> {
            }
        }
    }

    /**
     * Findings about the history's completeness: a record whose current schema is not its last entry (changed, or
     * never recorded), and an entry whose file name does not say which record and version it holds.
     */
    static List<Finding> missingEntries(List<Schema> current, List<Version> history) {
        List<Finding> findings = new ArrayList<>();
        Map<String, List<Version>> byRecord = new LinkedHashMap<>();
        for (Version version : history) {
            List<Version> earlier = byRecord.computeIfAbsent(version.schema().getFullName(), k -> new ArrayList<>());
            String expected = fileOf(version.schema(), earlier.size() + 1);
            if (!version.file().equals(expected)) {
                findings.add(new Finding("history entry " + version.file() + " holds version " + (earlier.size() + 1)
                        + " of " + version.schema().getName() + " by its place in index.txt: name it " + expected
                        + " (versions of a record count from 1, in the order index.txt lists them)", null, null));
            }
            earlier.add(version);
        }
        for (Schema schema : current) {
            List<Version> versions = byRecord.getOrDefault(schema.getFullName(), List.of());
            String next = fileOf(schema, versions.size() + 1);
            if (versions.isEmpty()) {
                findings.add(new Finding(schema.getName() + " has no history entry: " + whatToDo(next), next, schema));
            } else if (fingerprint(versions.getLast().schema()) != fingerprint(schema)) {
                Version last = versions.getLast();
                findings.add(new Finding(schema.getName() + " changed since its last history entry " + last.file()
                        + " (fingerprint " + wireFingerprint(last.schema()) + " there, " + wireFingerprint(schema)
                        + " now): " + whatToDo(next), next, schema));
            }
        }
        return findings;
    }

    private static String whatToDo(String file) {
        return "copy " + MODULE + PROPOSED_DIR + "/" + file + " to " + MODULE + HISTORY_DIR + "/ and add the line "
                + file
                + " to the end of index.txt there, so that readers built after the next change still decode what"
                + " this version writes";
    }

    /**
     * Why {@code current} cannot read what {@code version} wrote, or empty when it can (Avro's reader/writer rules:
     * a field the writer lacks needs a default in the reader, types may only be promoted, and so on).
     */
    static Optional<String> incompatibility(Schema current, Version version) {
        SchemaPairCompatibility pair = SchemaCompatibility.checkReaderWriterCompatibility(current, version.schema());
        if (pair.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return Optional.empty();
        }
        String why = pair.getResult().getIncompatibilities().stream()
                .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")")
                .collect(Collectors.joining("; "));
        return Optional.of("the current " + current.getName() + " cannot read what " + version.file() + " wrote: "
                + why + "; add fields only with a default, and never rename or remove one or change its type"
                + " (schemas/README.md, How to change a record safely)");
    }

    /** The history file name of a record's {@code n}th version. */
    static String fileOf(Schema schema, int n) {
        return schema.getName() + "-v" + n + ".avsc";
    }

    /** The fingerprint single-object encoding writes: CRC-64-AVRO of the schema's Parsing Canonical Form. */
    static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** The fingerprint as the 8 bytes after the C3 01 marker of a message, as decoding errors print it. */
    static String wireFingerprint(Schema schema) {
        byte[] bytes = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(fingerprint(schema))
                .array();
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }
}
