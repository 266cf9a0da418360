package dev.aidetect.tools.eval;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one evaluation was, beside its numbers: for the report's header and its {@code run} section.
 *
 * @param id the run id (the prefix of every image id of the run)
 * @param mode {@code streaming} or {@code offline}
 * @param startedAt when it started
 * @param cluster the Kafka cluster it ran on, or {@code null} offline
 * @param models the models that decided: each stage's model id and version, as the verdicts name them
 * @param inputs the data set folders or topic, each with its layout and notes
 * @param refused images the broker did not take (never scored)
 * @param missing what was still missing when the run stopped waiting, or {@code null}
 * @param secondFinals images that got more than one final verdict (none when the invariant holds)
 * @param unlabelled records without a label, left out of the numbers
 * @param seconds from the first image sent to the last final verdict
 */
record EvalRun(String id, String mode, Instant startedAt, String cluster, Map<String, String> models,
        List<Input> inputs, List<String> refused, String missing, Map<String, Integer> secondFinals, int unlabelled,
        double seconds) {

    /** A data set folder or topic as read: where, which layout, how many images, and what the reader should know. */
    record Input(String source, String layout, List<String> datasets, int images, List<String> notes) {
    }
}
