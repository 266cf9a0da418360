package dev.aidetect.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.RejectReason;
import dev.aidetect.schemas.Rejections;
import dev.aidetect.schemas.Topic;
import dev.aidetect.schemas.Topics;
import dev.aidetect.testing.Prerequisites;

/**
 * The wire contract other languages build on ({@code schemas/README.md}, "The wire contract") against the Java side:
 * the fingerprints the README publishes and the Python example computes are the ones Java writes in every header, for
 * every schema; the README's tables name every topic and every rejection reason as the code has them.
 */
class WireContractTest {
    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));
    private static final Path README = MODULE.resolve("README.md");
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path WIRE = MODULE.resolve("examples/python/aidetect_wire.py");
    private static final Path SOURCES = MODULE.resolve("src/main/avro");
    private static final String FINGERPRINT = "`([0-9A-F]{16})`";

    @Test
    void thePythonExampleComputesJavasFingerprintOfEveryHistoryVersion() throws Exception {
        // given the history Java reads
        Map<String, String> java = new LinkedHashMap<>();
        SchemaHistory.versions().forEach(version -> java.put(version.file(), fingerprintOf(version.schema())));

        // when the example computes the fingerprints of the history folder it reads by default
        Map<String, String> python = pythonFingerprints(List.of());

        // then
        assertThat(python).as("file -> fingerprint, Python example vs Java").isEqualTo(java);
    }

    @Test
    void thePythonExampleComputesJavasFingerprintOfEverySourceSchema() throws Exception {
        // given every source .avsc, one named type per file, referring to the others by name
        List<Path> sources;
        try (Stream<Path> files = Files.list(SOURCES)) {
            sources = files.filter(file -> file.toString().endsWith(".avsc")).sorted().toList();
        }
        Map<String, String> java = new LinkedHashMap<>();
        for (Path source : sources) {
            String type = source.getFileName().toString().replace(".avsc", "");
            java.put(source.getFileName().toString(),
                    fingerprintOf(SpecificData.get().getSchema(Class.forName("dev.aidetect.schemas." + type))));
        }

        // when the example computes them from the files
        Map<String, String> python = pythonFingerprints(sources.stream().map(Path::toString).toList());

        // then
        assertThat(python).as("file -> fingerprint, Python example vs the generated classes").isEqualTo(java);
    }

    @Test
    void theReadmePublishesJavasFingerprintOfEveryHistoryVersion() throws IOException {
        Map<String, String> java = new LinkedHashMap<>();
        SchemaHistory.versions().forEach(version -> java.put(version.file(), fingerprintOf(version.schema())));

        Map<String, String> readme = new LinkedHashMap<>();
        Matcher entries = Pattern.compile("`(\\w+-v\\d+\\.avsc)` " + FINGERPRINT).matcher(readme());
        while (entries.find()) {
            readme.put(entries.group(1), entries.group(2));
        }

        assertThat(readme).as("the README's table of the versions a reader accepts (file -> fingerprint); "
                + "add each new history entry there, with the fingerprint SchemaHistoryTest printed").isEqualTo(java);
    }

    @Test
    void theReadmesTopicTableNamesEveryTopicWithItsRecordAndCurrentFingerprint() throws IOException {
        Map<String, String> java = new LinkedHashMap<>();
        Map<String, String> records = new LinkedHashMap<>();
        for (Topic<String, ?> topic : Topics.all()) {
            Class<?> type = ((AvroSerde<?>) topic.valueSerde()).type();
            java.put(topic.name(), fingerprintOf(SpecificData.get().getSchema(type)));
            records.put(topic.name(), type.getSimpleName());
        }

        Map<String, String> readmeFingerprints = new LinkedHashMap<>();
        Map<String, String> readmeRecords = new LinkedHashMap<>();
        for (List<String> row : tableRows(readme(), "| topic | key | value | fingerprint |")) {
            String topic = unquote(row.get(0));
            readmeRecords.put(topic, unquote(row.get(2)));
            readmeFingerprints.put(topic, unquote(row.get(3)));
        }

        assertThat(readmeRecords).as("topic -> record in the README's topic table").isEqualTo(records);
        assertThat(readmeFingerprints).as("topic -> current fingerprint in the README's topic table")
                .isEqualTo(java);
    }

    @Test
    void theReadmesErrorTableNamesEveryRejectReasonAndWhetherItIsRetryable() throws IOException {
        Map<String, Boolean> java = new LinkedHashMap<>();
        Arrays.stream(RejectReason.values()).forEach(reason -> java.put(reason.name(), Rejections.retryable(reason)));

        Map<String, Boolean> readme = new LinkedHashMap<>();
        for (List<String> row : tableRows(readme(), "| reason | stage | what | retryable |")) {
            readme.put(unquote(row.get(0)), row.get(row.size() - 1).startsWith("**yes**"));
        }

        assertThat(readme).as("reason -> retryable in the README's error table").containsExactlyInAnyOrderEntriesOf(
                java);
    }

    /** The 8 bytes after C3 01 in a message this schema wrote, in hex: how the README and decoding errors print it. */
    static String fingerprintOf(Schema schema) {
        long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        byte[] header = new byte[8];
        for (int i = 0; i < 8; i++) {
            header[i] = (byte) (fingerprint >>> (8 * i));
        }
        return HexFormat.of().withUpperCase().formatHex(header);
    }

    /** Runs {@code aidetect_wire.py fingerprints ARGS}; answers file -> fingerprint, in the order it printed. */
    private static Map<String, String> pythonFingerprints(List<String> arguments) throws Exception {
        Prerequisites.require(Files.isExecutable(PYTHON), "/usr/bin/python3 (the example needs only its standard "
                + "library for fingerprints)", "apt-get install python3");
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), WIRE.toString(), "fingerprints"));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        String out = readAll(process.getInputStream());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished within 60 s", WIRE).isTrue();
        assertThat(process.exitValue()).as("exit status of %s; its stderr:%n%s", command, err.get()).isZero();
        return out.lines().map(line -> line.split(" "))
                .collect(Collectors.toMap(parts -> parts[0], parts -> parts[1], (a, b) -> b, LinkedHashMap::new));
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The cells of every row of the Markdown table whose header line starts with {@code header}. */
    private static List<List<String>> tableRows(String markdown, String header) {
        List<String> lines = markdown.lines().toList();
        int start = lines.indexOf(lines.stream().filter(line -> line.startsWith(header)).findFirst()
                .orElseThrow(() -> new AssertionError("README.md has no table headed '" + header + "'")));
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines.subList(start + 2, lines.size())) {
            if (!line.startsWith("|")) {
                break;
            }
            rows.add(Arrays.stream(line.substring(1, line.length() - 1).split("\\|")).map(String::strip).toList());
        }
        return rows;
    }

    private static String unquote(String cell) {
        return cell.replaceAll("^`([^`]*)`.*$", "$1");
    }

    private static String readme() throws IOException {
        return Files.readString(README);
    }
}
