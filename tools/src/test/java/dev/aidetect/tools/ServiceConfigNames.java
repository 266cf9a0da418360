package dev.aidetect.tools;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The environment variables a service reads, found in its sources, so that a launcher (the demo, the compose file, the
 * Kubernetes manifests) that sets one it does not read fails a test: SmallRye Config ignores an unknown variable, and
 * the service would start without the setting.
 */
public final class ServiceConfigNames {
    /** Modules every service takes configuration from besides its own: the topics and Kafka client settings. */
    private static final List<String> SHARED_MODULES = List.of("pipeline-topics");
    /** Read by the images' entrypoints and DJL, not by Quarkus: deploy/runtime.env's keys, and the rest. */
    private static final Set<String> LAUNCHER = Set.of("AIDETECT_JVM_FLAGS", "PYTORCH_VERSION", "PYTORCH_FLAVOR",
            "JAVA_OPTS", "DJL_CACHE_DIR");
    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(prefix = \"([^\"]+)\"\\)");
    private static final Pattern GROUP = Pattern.compile("\\binterface (\\w+) \\{");
    private static final Pattern METHOD = Pattern.compile("(?m)^\\s+([\\w<>, ]+?) (\\w+)\\(\\);");
    private static final Pattern PROPERTY_LITERAL = Pattern.compile("\"(aidetect\\.[a-z0-9.-]+[a-z0-9])\"");
    private static final Pattern EXPRESSION_ENV = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]+)[:}]");

    private ServiceConfigNames() {
    }

    /** Every variable the service in {@code module} reads: its configuration properties, and its launcher's. */
    public static Set<String> environmentNamesOf(Path root, String module) throws IOException {
        Set<String> names = new HashSet<>(LAUNCHER);
        names.addAll(configMappingNamesOf(root.resolve(module)));
        for (String shared : SHARED_MODULES) {
            names.addAll(configMappingNamesOf(root.resolve(shared)));
            names.addAll(propertyLiteralNamesOf(root.resolve(shared)));
        }
        names.addAll(propertyLiteralNamesOf(root.resolve(module)));
        Path properties = root.resolve(module).resolve("src/main/resources/application.properties");
        if (Files.exists(properties)) {
            String text = Files.readString(properties);
            Properties parsed = new Properties();
            parsed.load(new StringReader(text));
            parsed.stringPropertyNames().stream().filter(key -> !key.startsWith("%"))
                    .forEach(key -> names.add(environmentName(key)));
            Matcher expression = EXPRESSION_ENV.matcher(text);
            while (expression.find()) {
                names.add(expression.group(1));
            }
        }
        return names;
    }

    /**
     * The environment variable of every property the module's {@code @ConfigMapping} interfaces declare, as SmallRye
     * Config matches them: the property name upper-cased, everything but letters and digits made '_'. Groups (a
     * nested interface returned by a property method) add their methods below the group's name.
     */
    public static Set<String> configMappingNamesOf(Path module) throws IOException {
        Set<String> names = new HashSet<>();
        for (String source : sourcesOf(module)) {
            Matcher mapping = MAPPING.matcher(source);
            if (!mapping.find()) {
                continue;
            }
            String prefix = mapping.group(1);
            Map<String, String> groups = new HashMap<>();
            Matcher group = GROUP.matcher(source);
            group.find(); // the mapping itself; its groups follow
            while (group.find()) {
                int end = closingBrace(source, group.end() - 1);
                groups.put(group.group(1), source.substring(group.end(), end));
            }
            String topLevel = source;
            for (String body : groups.values()) {
                topLevel = topLevel.replace(body, "");
            }
            Matcher method = METHOD.matcher(topLevel);
            while (method.find()) {
                String property = prefix + "." + kebab(method.group(2));
                names.add(environmentName(property));
                String body = groups.get(method.group(1).strip());
                if (body != null) {
                    Matcher member = METHOD.matcher(body);
                    while (member.find()) {
                        names.add(environmentName(property + "." + kebab(member.group(2))));
                    }
                }
            }
        }
        return names;
    }

    /** Properties named by a string constant in the code, e.g. a model slot's property or the Kafka settings file. */
    private static Set<String> propertyLiteralNamesOf(Path module) throws IOException {
        Set<String> names = new HashSet<>();
        for (String source : sourcesOf(module)) {
            Matcher literal = PROPERTY_LITERAL.matcher(source);
            while (literal.find()) {
                names.add(environmentName(literal.group(1)));
            }
        }
        return names;
    }

    private static List<String> sourcesOf(Path module) throws IOException {
        Path sources = module.resolve("src/main/java");
        if (!Files.isDirectory(sources)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(sources)) {
            return files.filter(f -> f.toString().endsWith(".java")).map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private static int closingBrace(String source, int open) {
        int depth = 0;
        for (int i = open; i < source.length(); i++) {
            depth += source.charAt(i) == '{' ? 1 : source.charAt(i) == '}' ? -1 : 0;
            if (depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unbalanced braces");
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** SmallRye Config's environment form of a property name. */
    public static String environmentName(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
