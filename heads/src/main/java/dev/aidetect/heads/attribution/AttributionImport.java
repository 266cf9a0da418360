package dev.aidetect.heads.attribution;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.aidetect.heads.ArtifactJson;

/**
 * Turns a TorchScript classifier trained elsewhere (e.g. a torchvision ResNet) into an attribution network directory
 * that loads like one trained here: {@code attribution.pt} beside {@code attribution.json}.
 *
 * <p>
 * The module must take what this project's networks take: a batch of {@code 3 x crop x crop} centre crops scaled to
 * [-1, 1] and reduced to their 3x3 noise residual (see {@code PixelCrops}), and give one logit per class, in the order
 * of the class list. The unknown threshold is calibrated on labelled images when given (as after training here);
 * otherwise it is {@value #DEFAULT_THRESHOLD}: with two to a few classes, an answer needs at least even odds against
 * all other known generators together, and the operator can override it per deployment.
 */
public final class AttributionImport {
    /** Unknown threshold of an imported network without calibration images. */
    public static final double DEFAULT_THRESHOLD = 0.5;

    private AttributionImport() {
    }

    /**
     * @param module the TorchScript file
     * @param classes the module's classes in output order
     * @param family the family whose generators the classes are
     * @param cropSize crop side the module was trained on
     * @param calibration labelled images per class name to calibrate the unknown threshold on; empty for the default
     * @param out the network directory to write
     * @throws IOException when the module cannot be read or loaded, or its output does not match the classes
     */
    public static AttributionNetwork importTorchScript(Path module, List<String> classes, String family,
            int cropSize, Map<String, List<BufferedImage>> calibration, Path out) throws IOException {
        if (!Files.isRegularFile(module)) {
            throw new NoSuchFileException(module.toString(), null, "no TorchScript module there; export one with "
                    + "torch.jit.script(model).save(path) or torch.jit.trace");
        }
        if (classes.size() < 2 || classes.stream().distinct().count() != classes.size()) {
            throw new IllegalArgumentException("an attribution network needs at least two distinct classes, got "
                    + classes);
        }
        for (String name : calibration.keySet()) {
            if (!classes.contains(name)) {
                throw new IllegalArgumentException("calibration images of '" + name + "', which is not among the "
                        + "classes " + classes + "; calibrate only on the module's own generators");
            }
        }
        Files.createDirectories(out);
        Files.copy(module, out.resolve(AttributionMetadata.PARAMETERS_PREFIX + ".pt"),
                StandardCopyOption.REPLACE_EXISTING);
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<BufferedImage> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        calibration.forEach((name, list) -> {
            counts.put(name, list.size());
            images.addAll(list);
            list.forEach(image -> labels.add(classes.indexOf(name)));
        });
        AttributionMetadata draft = new AttributionMetadata(AttributionMetadata.FORMAT_VERSION,
                "attribution-" + family + "-imported", "", family, List.copyOf(classes), cropSize, 0,
                DEFAULT_THRESHOLD, "default-" + DEFAULT_THRESHOLD + "-uncalibrated", 0, 0, counts, 0, 0, null,
                AttributionMetadata.TORCHSCRIPT_WEIGHTS, PixelInput.RESIDUAL.label(), null);
        if (images.isEmpty()) {
            Files.write(out.resolve(AttributionMetadata.FILE), ArtifactJson.write(draft));
            // Loading checks the module's output size before anything is versioned.
            AttributionNetwork.load(out).close();
            return AttributionCalibration.finish(out, draft);
        }
        return AttributionCalibration.calibrate(out, draft, images,
                labels.stream().mapToInt(Integer::intValue).toArray(),
                AttributionOptions.defaults().unknownPercentile());
    }
}
