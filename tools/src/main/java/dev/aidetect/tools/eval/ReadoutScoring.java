package dev.aidetect.tools.eval;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.aidetect.heads.attribution.AttributionNetwork;
import dev.aidetect.heads.attribution.AttributionReadout;

/**
 * Scores images by every {@link OpenSetScore} in every {@link CropView} from one readout per image; the feature
 * scores of each view are fitted on that view of the network's training images.
 */
final class ReadoutScoring {
    private final AttributionNetwork network;
    private final Map<CropView, FeatureSpace> spaces;

    private ReadoutScoring(AttributionNetwork network, Map<CropView, FeatureSpace> spaces) {
        this.network = network;
        this.spaces = spaces;
    }

    /** @param training the network's training images by class name */
    static ReadoutScoring fit(AttributionNetwork network, Map<String, List<BufferedImage>> training) {
        List<String> classes = network.metadata().classes();
        Map<CropView, List<float[]>> features = new EnumMap<>(CropView.class);
        List<Integer> labels = new ArrayList<>();
        training.forEach((generator, images) -> images.forEach(image -> {
            AttributionReadout readout = network.readout(image);
            for (CropView view : CropView.values()) {
                features.computeIfAbsent(view, v -> new ArrayList<>()).add(view.features(readout));
            }
            labels.add(classes.indexOf(generator));
        }));
        int[] labelArray = labels.stream().mapToInt(Integer::intValue).toArray();
        Map<CropView, FeatureSpace> spaces = new EnumMap<>(CropView.class);
        features.forEach((view, list) -> spaces.put(view, FeatureSpace.fit(list, labelArray, classes.size())));
        return new ReadoutScoring(network, spaces);
    }

    /** Scores {@code images} of one true class and adds them to {@code into}, per view. */
    void score(int truth, List<BufferedImage> images, Map<CropView, List<Scored>> into) {
        for (BufferedImage image : images) {
            AttributionReadout readout = network.readout(image);
            spaces.forEach((view, space) -> into.computeIfAbsent(view, v -> new ArrayList<>())
                    .add(Scored.of(truth, view.logits(readout), view.features(readout), space)));
        }
    }
}
