package dev.aidetect.tools.eval;

import dev.aidetect.heads.attribution.AttributionReadout;

/** Which crops of an image its logits and features are taken from. */
enum CropView {
    CENTRE("the centre crop (as served)"), FIVE_CROPS("the mean of five crops (centre and corners)");

    private final String label;

    CropView(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    float[] logits(AttributionReadout readout) {
        return this == CENTRE ? readout.centreLogits() : AttributionReadout.mean(readout.logits());
    }

    float[] features(AttributionReadout readout) {
        return this == CENTRE ? readout.centreFeatures() : AttributionReadout.mean(readout.features());
    }
}
