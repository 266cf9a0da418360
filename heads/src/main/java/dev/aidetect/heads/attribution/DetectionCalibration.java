package dev.aidetect.heads.attribution;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.aidetect.heads.ArtifactJson;
import dev.aidetect.heads.BinaryMetrics;
import dev.aidetect.heads.ThresholdRule;

/**
 * Finishes a trained real/fake network's directory: scores the held-out images as inference sees them (P(FAKE) of the
 * centre crop), chooses the serving threshold with a {@link ThresholdRule} (as the vector heads do), records accuracy
 * at that threshold, AP and ROC AUC, and writes the versioned {@code attribution.json}.
 */
final class DetectionCalibration {
    private static final Logger LOG = LoggerFactory.getLogger(DetectionCalibration.class);

    private DetectionCalibration() {
    }

    /**
     * The serving threshold {@code rule} chooses on held-out P(FAKE) scores, with accuracy at it, AP and ROC AUC.
     *
     * @param positive 1 for each FAKE image, 0 for each REAL one
     */
    static DetectionThreshold serving(String id, int[] positive, double[] scores, ThresholdRule rule) {
        double threshold = rule.choose(positive, scores);
        int[] decided = new int[scores.length];
        for (int i = 0; i < scores.length; i++) {
            decided[i] = scores[i] >= threshold ? 1 : 0;
        }
        DetectionThreshold serving = new DetectionThreshold(DetectionNetwork.FAKE, threshold, rule.method(),
                BinaryMetrics.accuracy(positive, decided), BinaryMetrics.averagePrecision(positive, scores),
                BinaryMetrics.auc(positive, scores));
        LOG.info("real/fake network {}: threshold {} ({}), validation accuracy {}, AP {}, AUC {} on {} images", id,
                threshold, rule.method(), serving.validationAccuracy(), serving.validationAp(),
                serving.validationAuc(), scores.length);
        return serving;
    }

    static DetectionNetwork calibrate(Path dir, AttributionMetadata draft, List<BufferedImage> images, int[] labels,
            ThresholdRule rule) throws IOException {
        Files.write(dir.resolve(AttributionMetadata.FILE), ArtifactJson.write(draft));
        int fake = draft.classes().indexOf(DetectionNetwork.FAKE);
        int[] positive = new int[images.size()];
        double[] scores = new double[images.size()];
        try (AttributionNetwork network = AttributionNetwork.load(dir, 0)) {
            for (int i = 0; i < images.size(); i++) {
                positive[i] = labels[i] == fake ? 1 : 0;
                scores[i] = CropTranslator.softmax(network.logits(images.get(i)))[fake];
            }
        }
        DetectionThreshold serving = serving(draft.id(), positive, scores, rule);
        AttributionMetadata unversioned = draft.withValidation(serving.validationAccuracy(), images.size())
                .withUnknownThreshold(0, "none-real-fake-network").withDetection(serving);
        AttributionNetwork network = AttributionCalibration.finish(dir, unversioned);
        try {
            return DetectionNetwork.of(network, dir);
        } catch (IOException | RuntimeException e) {
            network.close();
            throw e;
        }
    }
}
