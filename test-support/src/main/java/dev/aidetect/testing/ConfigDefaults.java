package dev.aidetect.testing;

import java.io.IOException;
import java.io.Reader;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where a service's defaults live: in its {@code @ConfigMapping} interfaces' {@code @WithDefault}, once. A property in
 * {@code application.properties} (without a profile) that repeats its {@code @WithDefault} is a second copy that will
 * drift; {@link #repeatedIn} finds them, so a service's test can fail naming each.
 */
public final class ConfigDefaults {
    private ConfigDefaults() {
    }

    /**
     * The properties of {@code applicationProperties} that set a property of one of {@code mappings} to exactly its
     * {@code @WithDefault} value, as {@code name=value}.
     */
    public static List<String> repeatedIn(Path applicationProperties, Class<?>... mappings) throws IOException {
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(applicationProperties)) {
            file.load(reader);
        }
        Map<String, String> defaults = new TreeMap<>();
        for (Class<?> mapping : mappings) {
            collect(prefixOf(mapping), mapping, defaults);
        }
        List<String> repeated = new ArrayList<>();
        defaults.forEach((name, value) -> {
            if (value.equals(file.getProperty(name))) {
                repeated.add(name + "=" + value);
            }
        });
        return repeated;
    }

    /** Every property of {@code mapping} under {@code prefix} that has a {@code @WithDefault}, with that default. */
    public static Map<String, String> defaultsOf(Class<?> mapping) {
        Map<String, String> defaults = new TreeMap<>();
        collect(prefixOf(mapping), mapping, defaults);
        return defaults;
    }

    private static void collect(String prefix, Class<?> group, Map<String, String> defaults) {
        for (Method method : group.getMethods()) {
            if (method.getParameterCount() != 0 || method.isDefault()) {
                continue;
            }
            String name = prefix + "." + kebab(method.getName());
            String value = annotationValue(method, "WithDefault");
            if (value != null) {
                defaults.put(name, value);
            } else if (isGroup(method.getGenericReturnType())) {
                collect(name, (Class<?>) method.getGenericReturnType(), defaults);
            }
        }
    }

    /** A nested interface of the mapping's own (not {@code Optional<Path>}, {@code List<Stage>} or a JDK type). */
    private static boolean isGroup(Type type) {
        return !(type instanceof ParameterizedType) && type instanceof Class<?> c && c.isInterface()
                && !c.getName().startsWith("java.");
    }

    private static String prefixOf(Class<?> mapping) {
        String prefix = annotationValue(mapping, "ConfigMapping", "prefix");
        if (prefix == null) {
            throw new IllegalArgumentException(mapping.getName() + " is not a @ConfigMapping");
        }
        return prefix;
    }

    private static String annotationValue(java.lang.reflect.AnnotatedElement element, String simpleName) {
        return annotationValue(element, simpleName, "value");
    }

    /** By name, so this module needs no SmallRye Config of its own. */
    private static String annotationValue(java.lang.reflect.AnnotatedElement element, String simpleName,
            String attribute) {
        for (Annotation annotation : element.getAnnotations()) {
            if (annotation.annotationType().getSimpleName().equals(simpleName)) {
                try {
                    return String.valueOf(annotation.annotationType().getMethod(attribute).invoke(annotation));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return null;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
