package dev.aidetect.tools.eval;

import java.util.List;

/**
 * One point of a robustness sweep as it ran: the transform, the run id it ran as, and the metrics of its groups
 * (everything, each data set, family and generator), computed as the main run's are.
 *
 * @param point the transform and its strength
 * @param run the run id of the point ({@code <run>-<kind><value>})
 * @param groups its groups' metrics, everything first
 * @param refused images that were not evaluated (could not be read or transformed, or the broker refused them)
 * @param missing what was still missing when the point stopped waiting, or {@code null}
 * @param seconds from the first image sent to the last final verdict
 */
record SweepResult(SweepPoint point, String run, List<EvalMetrics.Group> groups, List<String> refused,
        String missing, double seconds) {

    /** The group of everything. */
    EvalMetrics.Group all() {
        return groups.getFirst();
    }
}
