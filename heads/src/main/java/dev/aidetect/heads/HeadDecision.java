package dev.aidetect.heads;

import java.util.Map;

/**
 * A vector head's answer for one vector.
 *
 * @param decision the decided class
 * @param score probability of the head's positive class (FAKE for detection)
 * @param scores probability of every class, in the head's class order
 * @param threshold the threshold the decision used
 */
public record HeadDecision(String decision, double score, Map<String, Double> scores, double threshold) {

    /** Probability of the decided class. */
    public double decisionScore() {
        return scores.get(decision);
    }
}
