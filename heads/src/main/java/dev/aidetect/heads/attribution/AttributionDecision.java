package dev.aidetect.heads.attribution;

import java.util.Map;

/**
 * An attribution network's answer for one image.
 *
 * @param decision the generator's name, or {@code unknown} when the top probability is below the threshold
 * @param score the top probability (of the named generator, or of the best guess when unknown)
 * @param scores probability of every known generator, in the network's class order
 * @param threshold the unknown threshold the decision used
 */
public record AttributionDecision(String decision, double score, Map<String, Double> scores, double threshold) {

    /** Whether no known generator was confident enough. */
    public boolean unknown() {
        return AttributionMetadata.UNKNOWN.equals(decision);
    }
}
