package dev.aidetect.classifier.inference;

import dev.aidetect.classifier.config.ClassifierConfig;
import dev.aidetect.imaging.decode.DecodedImage;
import dev.aidetect.imaging.decode.ImageDecoder;
import dev.aidetect.imaging.decode.ImageRejectedException;

/** Decodes an image for a stage on pixels within the classifier's limits; a refusal becomes the stage's rejection. */
final class ImageDecoding {
    private final ImageDecoder decoder;

    ImageDecoding(ClassifierConfig config) {
        this.decoder = new ImageDecoder(config.decodeLimits(), ClassifierConfig.PREFIX);
    }

    DecodedImage decode(byte[] bytes) {
        try {
            return decoder.decode(bytes);
        } catch (ImageRejectedException e) {
            throw new RejectedInputException(e.reason(), e.getMessage(), e);
        }
    }
}
