package dev.aidetect.tools.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the project's JVMs are launched: {@code deploy/runtime.env}, the one file that names the libtorch version and
 * flavor and the JVM flags, copied into this jar by the build. The local stack and the benchmark start their child
 * JVMs with it.
 *
 * @param pytorchVersion DJL's {@code PYTORCH_VERSION}
 * @param pytorchFlavor DJL's {@code PYTORCH_FLAVOR} ({@code cpu} unless a CUDA build is in DJL's cache)
 * @param jvmFlags the flags every JVM of the project gets
 */
public record RuntimeEnv(String pytorchVersion, String pytorchFlavor, List<String> jvmFlags) {
    /** Where the build puts {@code deploy/runtime.env} in this jar. */
    static final String RESOURCE = "/dev/aidetect/tools/runtime.env";

    /** The settings this jar was built with. */
    public static RuntimeEnv bundled() {
        try (InputStream in = RuntimeEnv.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path: build tools with ./mvnw, which "
                        + "copies deploy/runtime.env into it");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses {@code KEY=value} lines; blank lines and {@code #} comments are skipped. */
    public static RuntimeEnv parse(String text) {
        Map<String, String> values = entries(text);
        return new RuntimeEnv(required(values, "PYTORCH_VERSION"), required(values, "PYTORCH_FLAVOR"),
                Arrays.stream(required(values, "AIDETECT_JVM_FLAGS").split("\\s+")).toList());
    }

    /** The file's entries in order. */
    public static Map<String, String> entries(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("runtime.env: '" + line + "' is not KEY=value");
            }
            values.put(line.substring(0, equals), line.substring(equals + 1));
        }
        return values;
    }

    /** The environment DJL reads: {@code PYTORCH_VERSION} and {@code PYTORCH_FLAVOR}. */
    public Map<String, String> djlEnvironment() {
        return Map.of("PYTORCH_VERSION", pytorchVersion, "PYTORCH_FLAVOR", pytorchFlavor);
    }

    private static String required(Map<String, String> values, String key) {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("runtime.env names no " + key);
        }
        return value;
    }
}
