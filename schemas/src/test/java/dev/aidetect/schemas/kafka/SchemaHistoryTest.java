package dev.aidetect.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.RandomData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ModelRef;
import dev.aidetect.schemas.StageVerdict;
import dev.aidetect.schemas.Topics;
import dev.aidetect.schemas.kafka.SchemaHistory.Version;
import dev.aidetect.schemas.kafka.SchemaHistoryCheck.Finding;

/**
 * The schema history against the current records: every version a producer may have written still decodes with
 * the current classes, and a record whose schema changed without a new history entry fails the build, saying what
 * to do.
 */
class SchemaHistoryTest {
    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));
    private static final int RECORDS_PER_VERSION = 25;

    /** The file of every history entry, in index.txt's order. */
    static Stream<String> history() {
        return SchemaHistory.versions().stream().map(Version::file);
    }

    @Test
    void theHistoryEndsWithTheCurrentSchemaOfEveryRecordWrittenOnItsOwn() throws IOException {
        List<Finding> findings = SchemaHistoryCheck.missingEntries(writtenOnTheirOwn(), SchemaHistory.versions());

        for (Finding finding : findings) {
            if (finding.proposedFile() != null) {
                Path proposed = MODULE.resolve(SchemaHistoryCheck.PROPOSED_DIR).resolve(finding.proposedFile());
                Files.createDirectories(proposed.getParent());
                Files.writeString(proposed, SchemaFormatter.format("json/pretty", finding.proposedSchema()) + "\n");
            }
        }
        if (!findings.isEmpty()) {
            fail(findings.stream().map(Finding::message).collect(Collectors.joining("\n")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("history")
    void theCurrentSchemaCanReadEveryHistoricalVersion(String file) throws Exception {
        Version version = entry(file);

        assertThat(SchemaHistoryCheck.incompatibility(currentSchemaOf(version), version)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("history")
    void everyHistoricalVersionDecodesWithTheCurrentClassAndLosesNothing(String file) throws Exception {
        // given random records as a producer built with this version wrote them (its fingerprint in each message)
        Version version = entry(file);
        Schema old = version.schema();
        BinaryMessageEncoder<Object> oldWriter = new BinaryMessageEncoder<>(GenericData.get(), old);
        BinaryMessageDecoder<GenericRecord> oldReader = new BinaryMessageDecoder<>(GenericData.get(), old);
        oldReader.addSchema(currentSchemaOf(version));
        AvroSerde<SpecificRecord> serde = new AvroSerde<>(currentClassOf(version));

        for (Object written : new RandomData(GenericData.get(), old, RECORDS_PER_VERSION, file.hashCode())) {
            // when the current class decodes one, and writes it again as the current version
            SpecificRecord decoded = serde.decode("history-test", bytes(oldWriter.encode(written)));
            byte[] rewritten = serde.encode(decoded);

            // then every field the old version wrote is still there, with its value
            assertThat(oldReader.decode(rewritten)).as("what %s wrote, after the current class read it", file)
                    .isEqualTo(written);
        }
    }

    @Test
    void aSchemaChangedWithoutAHistoryEntryFailsWithWhatToDo() {
        Schema changed = withField(ImageEmbedding.getClassSchema(),
                new Schema.Field("faceCount", Schema.create(Schema.Type.INT), "Faces the embedder found.", 0));
        List<Version> history = historyOf(changed);
        int next = history.size() + 1;

        List<Finding> findings = SchemaHistoryCheck.missingEntries(List.of(changed), history);

        assertThat(findings).extracting(Finding::message).containsExactly(("ImageEmbedding changed since its last"
                + " history entry ImageEmbedding-v%d.avsc (fingerprint %s there, %s now): copy"
                + " schemas/target/schema-history/ImageEmbedding-v%d.avsc to"
                + " schemas/src/main/resources/dev/aidetect/schemas/history/ and add the line ImageEmbedding-v%d.avsc"
                + " to the end of index.txt there, so that readers built after the next change still decode what"
                + " this version writes").formatted(next - 1,
                        SchemaHistoryCheck.wireFingerprint(history.getLast().schema()),
                        SchemaHistoryCheck.wireFingerprint(changed), next, next));
        assertThat(findings.getFirst().proposedFile()).isEqualTo("ImageEmbedding-v" + next + ".avsc");
        assertThat(findings.getFirst().proposedSchema()).isSameAs(changed);
    }

    @Test
    void aChangedDocOrDefaultNeedsNoHistoryEntry() {
        // neither is part of what a writer puts on the wire, so the fingerprint stays
        Schema current = ImageEmbedding.getClassSchema();
        Schema redocumented = withFields(current, f -> switch (f.name()) {
            case "vector" -> new Schema.Field(f.name(), f.schema(), "Raw encoder output, never normalised.");
            case "decodeScale" -> new Schema.Field(f.name(), f.schema(), f.doc(), 2);
            default -> new Schema.Field(f, f.schema());
        });

        List<Finding> findings = SchemaHistoryCheck.missingEntries(List.of(redocumented),
                List.of(new Version("ImageEmbedding-v1.avsc", current)));

        assertThat(findings).extracting(Finding::message).isEmpty();
    }

    @Test
    void aNewRecordWithoutAHistoryFailsWithWhatToDo() {
        Schema query = Schema.createRecord("ImageQuery", "A question about an image.", "dev.aidetect.schemas", false,
                List.of(new Schema.Field("imageId", Schema.create(Schema.Type.STRING))));

        List<Finding> findings = SchemaHistoryCheck.missingEntries(List.of(query), List.of());

        assertThat(findings).extracting(Finding::message).containsExactly("ImageQuery has no history entry: copy"
                + " schemas/target/schema-history/ImageQuery-v1.avsc to"
                + " schemas/src/main/resources/dev/aidetect/schemas/history/ and add the line ImageQuery-v1.avsc to"
                + " the end of index.txt there, so that readers built after the next change still decode what this"
                + " version writes");
    }

    @Test
    void aHistoryFileNamedForAnotherVersionOrRecordFailsWithItsRightName() {
        Schema embedding = ImageEmbedding.getClassSchema();
        List<Version> history = List.of(new Version("ImageEmbedding-v1.avsc", embedding),
                new Version("ImageEmbedding-v3.avsc", embedding), new Version("StageVerdict-v1.avsc", embedding));

        List<Finding> findings = SchemaHistoryCheck.missingEntries(List.of(embedding), history);

        assertThat(findings).extracting(Finding::message).containsExactly(
                "history entry ImageEmbedding-v3.avsc holds version 2 of ImageEmbedding by its place in index.txt:"
                        + " name it ImageEmbedding-v2.avsc (versions of a record count from 1, in the order index.txt"
                        + " lists them)",
                "history entry StageVerdict-v1.avsc holds version 3 of ImageEmbedding by its place in index.txt:"
                        + " name it ImageEmbedding-v3.avsc (versions of a record count from 1, in the order index.txt"
                        + " lists them)");
    }

    @Test
    void aFieldAddedWithoutADefaultCannotReadTheHistory() {
        Schema changed = withField(ImageEmbedding.getClassSchema(),
                new Schema.Field("faceCount", Schema.create(Schema.Type.INT), "Faces the embedder found."));
        Version last = historyOf(changed).getLast();

        assertThat(SchemaHistoryCheck.incompatibility(changed, last)).hasValueSatisfying(message -> assertThat(message)
                .startsWith("the current ImageEmbedding cannot read what " + last.file() + " wrote:")
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE", "faceCount", "add fields only with a default"));
    }

    @Test
    void recordsThatAreOnlyPartsOfOthersNeedNoHistoryOfTheirOwn() {
        List<Schema> all = currentSchemas();

        List<String> bare = SchemaHistoryCheck.writtenOnTheirOwn(all, Set.of()).stream().map(Schema::getName).toList();
        List<String> withTopics = SchemaHistoryCheck.writtenOnTheirOwn(all, topicValues()).stream()
                .map(Schema::getName).toList();

        assertThat(bare).contains("ImageSubmitted", "RouterCase", "FinalVerdict")
                .doesNotContain(ModelRef.class.getSimpleName(), StageVerdict.class.getSimpleName(), "Stage");
        assertThat(withTopics).as("a topic's value needs one even when other records contain it")
                .contains(StageVerdict.class.getSimpleName()).doesNotContain(ModelRef.class.getSimpleName());
    }

    /** The current schema of every record this module writes on its own. */
    private static List<Schema> writtenOnTheirOwn() {
        return SchemaHistoryCheck.writtenOnTheirOwn(currentSchemas(), topicValues());
    }

    private static Set<String> topicValues() {
        return Topics.all().stream().map(t -> ((AvroSerde<?>) t.valueSerde()).type().getName())
                .collect(Collectors.toSet());
    }

    /** The generated class's schema of every file in src/main/avro, each named after the type it defines. */
    private static List<Schema> currentSchemas() {
        Path avro = MODULE.resolve("src/main/avro");
        try (Stream<Path> files = Files.list(avro)) {
            List<Schema> schemas = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList()) {
                String name = "dev.aidetect.schemas." + file.getFileName().toString().replace(".avsc", "");
                try {
                    schemas.add(SpecificData.get().getSchema(Class.forName(name)));
                } catch (ClassNotFoundException e) {
                    fail("src/main/avro/%s has no generated class %s: name each file after the one type it"
                            + " defines, in namespace dev.aidetect.schemas", file.getFileName(), name);
                }
            }
            return schemas;
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + avro.toAbsolutePath(), e);
        }
    }

    /** The real history's entries of the record {@code schema} is a version of. */
    private static List<Version> historyOf(Schema schema) {
        return SchemaHistory.versions().stream().filter(v -> v.schema().getFullName().equals(schema.getFullName()))
                .toList();
    }

    private static Version entry(String file) {
        return SchemaHistory.versions().stream().filter(v -> v.file().equals(file)).findFirst().orElseThrow();
    }

    private static Schema currentSchemaOf(Version version) throws ClassNotFoundException {
        return SpecificData.get().getSchema(currentClassOf(version));
    }

    @SuppressWarnings("unchecked")
    private static Class<SpecificRecord> currentClassOf(Version version) throws ClassNotFoundException {
        return (Class<SpecificRecord>) Class.forName(version.schema().getFullName());
    }

    /** {@code record} with {@code added} as its last field. */
    private static Schema withField(Schema record, Schema.Field added) {
        List<Schema.Field> fields = new ArrayList<>();
        record.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        fields.add(added);
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }

    /** {@code record} with each field replaced by what {@code change} makes of it (a new Field each time). */
    private static Schema withFields(Schema record, Function<Schema.Field, Schema.Field> change) {
        List<Schema.Field> fields = record.getFields().stream().map(change).toList();
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        return Arrays.copyOfRange(buffer.array(), buffer.arrayOffset() + buffer.position(),
                buffer.arrayOffset() + buffer.limit());
    }
}
