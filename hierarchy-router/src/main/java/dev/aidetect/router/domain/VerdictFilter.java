package dev.aidetect.router.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import dev.aidetect.schemas.Authenticity;

/**
 * Which final verdicts a {@code GET /verdicts/stream} client wants, from its query parameters: each parameter may be
 * repeated (any of its values matches), different parameters must all match, and one not given matches everything.
 *
 * @param sources the submission's {@code source}
 * @param runs the submission's attribute {@code run} (replays and evaluations set it)
 * @param authenticities REAL, FAKE, UNCERTAIN or UNKNOWN
 * @param generators the attributed generator's name
 */
public record VerdictFilter(Set<String> sources, Set<String> runs, Set<String> authenticities, Set<String> generators)
        implements
            Predicate<VerdictView> {
    /** The attribute of a submission (and so of its final verdict) that names the run it belongs to. */
    public static final String RUN_ATTRIBUTE = "run";
    /** Matches every verdict. */
    public static final VerdictFilter ALL = new VerdictFilter(Set.of(), Set.of(), Set.of(), Set.of());

    public VerdictFilter {
        sources = Set.copyOf(sources);
        runs = Set.copyOf(runs);
        authenticities = Set.copyOf(authenticities);
        generators = Set.copyOf(generators);
    }

    /**
     * The filter of the query parameters' values ({@code null} or empty lists: no condition).
     *
     * @throws IllegalArgumentException naming the parameter and the values it takes when an authenticity is unknown
     */
    public static VerdictFilter of(List<String> sources, List<String> runs, List<String> authenticities,
            List<String> generators) {
        Set<String> known = Arrays.stream(Authenticity.values()).map(Enum::name).collect(Collectors.toSet());
        Set<String> wanted = values(authenticities).stream().map(a -> a.toUpperCase(Locale.ROOT))
                .collect(Collectors.toSet());
        for (String authenticity : wanted) {
            if (!known.contains(authenticity)) {
                throw new IllegalArgumentException("authenticity '" + authenticity + "' is not one of "
                        + Arrays.toString(Authenticity.values()) + "; repeat the parameter for several");
            }
        }
        return new VerdictFilter(values(sources), values(runs), wanted, values(generators));
    }

    @Override
    public boolean test(VerdictView verdict) {
        return matches(sources, verdict.source())
                && matches(runs, verdict.attributes() == null ? null : verdict.attributes().get(RUN_ATTRIBUTE))
                && matches(authenticities, verdict.authenticity())
                && matches(generators, verdict.generator());
    }

    private static boolean matches(Set<String> wanted, String value) {
        return wanted.isEmpty() || value != null && wanted.contains(value);
    }

    private static Set<String> values(List<String> parameter) {
        return parameter == null
                ? Set.of()
                : parameter.stream().filter(v -> v != null && !v.isBlank()).map(String::strip)
                        .collect(Collectors.toSet());
    }
}
