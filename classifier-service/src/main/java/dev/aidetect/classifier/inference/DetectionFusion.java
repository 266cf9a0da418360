package dev.aidetect.classifier.inference;

import java.util.Map;

import dev.aidetect.heads.HeadDecision;
import dev.aidetect.heads.attribution.DetectionNetwork;

/**
 * The fused real/fake call ({@code detection-input=fused}): the mean of the head's and the network's logits, each
 * measured from its own serving threshold. P(FAKE) = sigmoid((logit(p_head) + logit(p_network)) / 2), threshold =
 * sigmoid((logit(t_head) + logit(t_network)) / 2), FAKE when P(FAKE) is at least the threshold; that is, when the two
 * models' margins over their thresholds, in log-odds, add up to zero or more.
 *
 * <p>
 * Why logits and not probabilities: log-odds are the scale on which independent evidence adds (the sum is the Bayes
 * combination of two calibrated detectors; the mean tempers it, since the two see the same image and are not
 * independent), so a model that is sure (p = 0.999, logit 6.9) outweighs one that hesitates (p = 0.4, logit -0.4),
 * where the mean of probabilities (0.70) would let the hesitant one pull a sure call toward the threshold. And each
 * model keeps its own threshold: a head whose validation moved its threshold to 0.8 counts as neutral at 0.8, not at
 * 0.5, so the fused threshold follows from the artifacts with nothing new to fit.
 */
public final class DetectionFusion {
    /** Probabilities are kept this far from 0 and 1, so a saturated model gives a large but finite logit. */
    private static final double EPSILON = 1e-7;

    private DetectionFusion() {
    }

    /** The fused decision of a head's and a network's decisions on one image (score: P(FAKE)). */
    public static HeadDecision fuse(HeadDecision head, HeadDecision network) {
        double fake = sigmoid((logit(head.score()) + logit(network.score())) / 2);
        double threshold = sigmoid((logit(head.threshold()) + logit(network.threshold())) / 2);
        String decision = fake >= threshold ? DetectionNetwork.FAKE : DetectionNetwork.REAL;
        return new HeadDecision(decision, fake, Map.of(DetectionNetwork.REAL, 1 - fake, DetectionNetwork.FAKE, fake),
                threshold);
    }

    static double logit(double p) {
        double clamped = Math.clamp(p, EPSILON, 1 - EPSILON);
        return Math.log(clamped / (1 - clamped));
    }

    static double sigmoid(double logit) {
        return 1 / (1 + Math.exp(-logit));
    }
}
