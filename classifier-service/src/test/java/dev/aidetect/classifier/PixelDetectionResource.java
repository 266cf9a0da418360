package dev.aidetect.classifier;

import java.util.HashMap;
import java.util.Map;

/**
 * The packaged classifier of {@link BrokerModelsResource}, deciding real or fake on pixels: the test detection network
 * ({@code aidetect.classifier.detection-input=pixels}).
 */
public class PixelDetectionResource extends BrokerModelsResource {
    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("aidetect.classifier.detection-input", "pixels");
        config.put("aidetect.classifier.detection-network", TrainedModels.detectionNetworkDir().toString());
        return config;
    }
}
