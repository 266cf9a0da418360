package dev.aidetect.heads.attribution;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.aidetect.heads.ArtifactJson;
import dev.aidetect.heads.Checksums;

/**
 * Finishes a trained network's directory: measures accuracy on the held-out images as inference sees them (centre
 * crops), sets the unknown threshold to a low percentile of the confidence of the correctly attributed ones (so most
 * images of known generators keep their name, and less familiar inputs fall below it), capped at
 * {@value #MAX_THRESHOLD}, and writes the versioned {@code attribution.json}.
 *
 * <p>
 * The cap: a network trained to zero loss is near-certain on every held-out image, so the percentile lands at
 * 0.9999 and fresh images of a known generator (0.999) would be called unknown. Seen on the demo's networks and in
 * this module's tests. Above the cap the threshold measures the network's overconfidence, not the inputs.
 */
final class AttributionCalibration {
    private static final Logger LOG = LoggerFactory.getLogger(AttributionCalibration.class);

    static final double MAX_THRESHOLD = 0.9;

    private AttributionCalibration() {
    }

    static AttributionNetwork calibrate(Path dir, AttributionMetadata draft, List<BufferedImage> images, int[] labels,
            double percentile) throws IOException {
        Path file = dir.resolve(AttributionMetadata.FILE);
        Files.write(file, ArtifactJson.write(draft));
        List<Double> confidences = new ArrayList<>();
        int correct = 0;
        try (AttributionNetwork network = AttributionNetwork.load(dir, 0)) {
            for (int i = 0; i < images.size(); i++) {
                AttributionDecision decision = network.attribute(images.get(i));
                if (decision.decision().equals(draft.classes().get(labels[i]))) {
                    correct++;
                    confidences.add(decision.score());
                }
            }
        }
        double accuracy = (double) correct / images.size();
        double threshold = confidences.isEmpty()
                ? 1.0 / draft.classes().size()
                : Math.min(MAX_THRESHOLD, lowPercentile(confidences, percentile));
        String method = String.format(Locale.ROOT, "min(p%s-of-correct-validation-confidence, %s)",
                stripped(percentile),
                MAX_THRESHOLD);
        return finish(dir, draft.withValidation(accuracy, images.size()).withUnknownThreshold(threshold, method));
    }

    /** Versions the metadata by the weights and itself, writes it, and loads the finished network. */
    static AttributionNetwork finish(Path dir, AttributionMetadata unversioned) throws IOException {
        String version = Checksums.versionOf(Files.readAllBytes(weightsFile(dir, unversioned)),
                ArtifactJson.write(unversioned));
        AttributionMetadata complete = unversioned.withVersion(version, Instant.now());
        Files.write(dir.resolve(AttributionMetadata.FILE), ArtifactJson.write(complete));
        LOG.info("wrote attribution network {} version {} to {}: validation accuracy {} on {} images, unknown below {}",
                complete.id(), version, dir, complete.validationAccuracy(), complete.validationCount(),
                complete.unknownThreshold());
        return AttributionNetwork.load(dir);
    }

    /** The nearest-rank percentile from below: the value at or under which {@code percentile}% of values lie. */
    static double lowPercentile(List<Double> values, double percentile) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.floor(percentile / 100 * (sorted.size() - 1));
        return sorted.get(rank);
    }

    private static Path weightsFile(Path dir, AttributionMetadata metadata) throws IOException {
        if (metadata.torchScript()) {
            return dir.resolve(AttributionMetadata.PARAMETERS_PREFIX + ".pt");
        }
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString()
                    .matches(AttributionMetadata.PARAMETERS_PREFIX + "-\\d{4}\\.params"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("no parameters file was written to " + dir));
        }
    }

    private static String stripped(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
