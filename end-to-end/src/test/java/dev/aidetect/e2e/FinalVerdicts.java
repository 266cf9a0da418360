package dev.aidetect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.aidetect.schemas.FinalVerdict;

/** The pipeline's invariant as an assertion: exactly one final verdict per submitted image id. */
final class FinalVerdicts {
    private FinalVerdicts() {
    }

    /** Fails naming every id that has no final verdict or more than one. */
    static void assertExactlyOneEach(Collection<String> ids, Map<String, List<FinalVerdict>> verdicts) {
        Map<String, Integer> counts = new TreeMap<>();
        ids.forEach(id -> counts.put(id, verdicts.getOrDefault(id, List.of()).size()));
        assertThat(counts).as("final verdicts per image id").allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
    }
}
