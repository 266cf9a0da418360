package dev.aidetect.tools.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.aidetect.schemas.ImageLabel;
import dev.aidetect.tools.dataset.LabelledImage;

/**
 * One image of a data set to evaluate: its file with the ground truth, and its original id (data set name and path in
 * it), which the run turns into the image id ({@code Replayer.replayId}).
 */
record EvalImage(String originalId, LabelledImage image) {
    /** What a family or generator that the data set does not name counts as. */
    static final String UNNAMED = "unnamed";

    ImageLabel label() {
        return image.label();
    }

    /**
     * At most {@code limit} of the images, taken in turn from each stratum (data set, real or fake, generator) in
     * their order, so a short run still sees every kind: 200 of 2,000 real and 2,000 fake images are 100 of each.
     */
    static List<EvalImage> balanced(List<EvalImage> images, int limit) {
        if (limit >= images.size()) {
            return images;
        }
        Map<String, List<EvalImage>> strata = new LinkedHashMap<>();
        for (EvalImage image : images) {
            ImageLabel label = image.label();
            strata.computeIfAbsent(label.getDataset() + "|" + label.getAuthenticity() + "|" + label.getFamily() + "|"
                    + label.getGenerator(), key -> new ArrayList<>()).add(image);
        }
        List<EvalImage> taken = new ArrayList<>(limit);
        for (int round = 0; taken.size() < limit; round++) {
            for (List<EvalImage> stratum : strata.values()) {
                if (round < stratum.size() && taken.size() < limit) {
                    taken.add(stratum.get(round));
                }
            }
        }
        return taken;
    }
}
