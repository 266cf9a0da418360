package dev.aidetect.heads.attribution;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

/**
 * What an attribution network is and how it was made; stored as {@code attribution.json} beside the DJL parameters
 * file in the network's directory.
 *
 * @param formatVersion version of this artifact layout
 * @param id stable model id, e.g. {@code attribution-gan-resnet18}
 * @param version content checksum prefix of the parameters and this metadata
 * @param family the generator family whose generators the network tells apart
 * @param classes generator names in the network's output order
 * @param cropSize side of the centre crop the network sees
 * @param depth ResNet depth
 * @param unknownThreshold the network answers {@code unknown} when its top probability is below this
 * @param thresholdMethod how the threshold was chosen
 * @param validationAccuracy share of held-out images attributed correctly (centre crop, before the unknown rule)
 * @param validationCount held-out images
 * @param examplesPerClass labelled images per generator, before the split
 * @param epochs training epochs
 * @param seed seed of the split, crops and initialisation
 * @param trainedAt when training finished
 * @param weights how the weights are stored: {@value #DJL_WEIGHTS} (a DJL ResNet's parameters, trained here; also
 *        when absent, as in networks written before imports existed) or {@value #TORCHSCRIPT_WEIGHTS} (an imported
 *        TorchScript module, {@code attribution.pt}, whose {@code depth} is 0 when not known)
 * @param input what the network sees of its crop ({@link PixelInput#label()}); absent (networks written before the
 *        choice existed): the residual
 * @param detection for a real/fake network ({@link DetectionNetwork}): its serving threshold and validation metrics;
 *        absent for attribution and family networks
 */
public record AttributionMetadata(int formatVersion, String id, String version, String family, List<String> classes,
        int cropSize, int depth, double unknownThreshold, String thresholdMethod, double validationAccuracy,
        int validationCount, Map<String, Integer> examplesPerClass, int epochs, long seed, Instant trainedAt,
        String weights, String input, DetectionThreshold detection) {

    /**
     * The layout of networks on residuals. 2: the network sees 3x3 noise residuals of its crops ({@code PixelCrops}),
     * not raw pixels; a version-1 network would get inputs it was never trained on.
     */
    public static final int FORMAT_VERSION = 2;
    /**
     * The layout of networks on plain RGB crops ({@code input: rgb}). A reader of version 2 ignores the {@code input}
     * field and would feed such a network residuals, so these carry a version it refuses.
     */
    public static final int RGB_FORMAT_VERSION = 3;
    /** The answer when the network is not confident enough to name a known generator. */
    public static final String UNKNOWN = "unknown";
    public static final String FILE = "attribution.json";
    /** Prefix of the DJL parameters file: {@code attribution-0000.params}. */
    static final String PARAMETERS_PREFIX = "attribution";
    /** Weights of a DJL ResNet trained by {@link AttributionTrainer}: {@code attribution-0000.params}. */
    public static final String DJL_WEIGHTS = "djl";
    /** Weights of an imported TorchScript module: {@code attribution.pt}. */
    public static final String TORCHSCRIPT_WEIGHTS = "torchscript";

    /** The format version a network that sees {@code input} is written with. */
    static int formatFor(PixelInput input) {
        return input == PixelInput.RESIDUAL ? FORMAT_VERSION : RGB_FORMAT_VERSION;
    }

    /** What the network sees of its crop. */
    public PixelInput pixelInput() {
        return PixelInput.of(input);
    }

    /** Whether the weights are an imported TorchScript module rather than DJL parameters. */
    boolean torchScript() {
        return TORCHSCRIPT_WEIGHTS.equals(weights);
    }

    /**
     * The untrained network this metadata describes: DJL's ResNet, whose layout DJL picks from the image side it is
     * built for. Depths 18, 34 and 50: the ImageNet ResNet (four stages of 64-512 filters), with a 7x7 stride-2 stem and
     * max pooling above 32 pixels and a 3x3 stride-1 stem at 29-32 (a 32x32 crop keeps its full resolution in the
     * first stage). Depths 20, 32, 44 and 56: the CIFAR ResNet (three stages of 16-64 filters, 3x3 stem), which DJL
     * builds for sides of at most 28; the network ends in global average pooling, so it then takes crops of any
     * side, e.g. a whole 32x32 image.
     */
    Block newBlock() {
        long side = AttributionOptions.isCifarDepth(depth)
                ? Math.min(cropSize, AttributionOptions.CIFAR_LAYOUT_MAX_CROP)
                : cropSize;
        return ResNetV1.builder().setImageShape(new Shape(3, side, side)).setNumLayers(depth)
                .setOutSize(classes.size()).build();
    }

    AttributionMetadata withVersion(String newVersion, Instant newTrainedAt) {
        return new AttributionMetadata(formatVersion, id, newVersion, family, classes, cropSize, depth,
                unknownThreshold, thresholdMethod, validationAccuracy, validationCount, examplesPerClass, epochs,
                seed, newTrainedAt, weights, input, detection);
    }

    AttributionMetadata withValidation(double accuracy, int count) {
        return new AttributionMetadata(formatVersion, id, version, family, classes, cropSize, depth, unknownThreshold,
                thresholdMethod, accuracy, count, examplesPerClass, epochs, seed, trainedAt, weights, input,
                detection);
    }

    AttributionMetadata withUnknownThreshold(double threshold, String method) {
        return new AttributionMetadata(formatVersion, id, version, family, classes, cropSize, depth, threshold,
                method, validationAccuracy, validationCount, examplesPerClass, epochs, seed, trainedAt, weights, input,
                detection);
    }

    AttributionMetadata withDetection(DetectionThreshold serving) {
        return new AttributionMetadata(formatVersion, id, version, family, classes, cropSize, depth, unknownThreshold,
                thresholdMethod, validationAccuracy, validationCount, examplesPerClass, epochs, seed, trainedAt,
                weights, input, serving);
    }
}
