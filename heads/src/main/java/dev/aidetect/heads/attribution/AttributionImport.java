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
import dev.aidetect.heads.ThresholdRule;

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
 *
 * <p>
 * A real/fake network ({@link #importDetection}) takes plain RGB crops instead (input {@code rgb}: each value
 * {@code v / 127.5 - 1}, mid-grey padding 0) and gives two logits, FAKE then REAL; its serving threshold is chosen on the
 * images it held out of training, as for a network trained here. {@code deploy/models/train_detector.py} trains such
 * networks on a GPU.
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
        requireModule(module, "export one with torch.jit.script(model).save(path) or torch.jit.trace");
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
        copyModule(module, out);
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

    /**
     * Imports a TorchScript real/fake network as a detection network directory ({@link DetectionNetwork#load}), its
     * serving threshold chosen by {@code rule} on the images it held out of training.
     *
     * @param module the TorchScript file: RGB crops in, logits FAKE, REAL out
     * @param id the network's model id
     * @param cropSize crop side the module was trained on
     * @param epochs epochs it was trained for, as recorded (0 when not known)
     * @param seed seed of its held-out split, as recorded
     * @param heldOut the images it held out, with every class's count before the split
     * @param rule how the serving threshold is chosen on them
     * @param out the network directory to write
     * @throws IOException when the module cannot be read or loaded, or does not give two logits
     */
    public static DetectionNetwork importDetection(Path module, String id, int cropSize, int epochs, long seed,
            AttributionTrainer.HeldOut heldOut, ThresholdRule rule, Path out) throws IOException {
        requireModule(module, "write one with deploy/models/train_detector.py export");
        List<String> classes = List.of(DetectionNetwork.FAKE, DetectionNetwork.REAL);
        if (!heldOut.classes().equals(classes)) {
            throw new IllegalArgumentException("a real/fake network is calibrated on FAKE and REAL images, got classes "
                    + heldOut.classes());
        }
        if (heldOut.images().isEmpty()) {
            throw new IllegalArgumentException("no held-out images to choose the serving threshold on");
        }
        copyModule(module, out);
        AttributionMetadata draft = new AttributionMetadata(AttributionMetadata.formatFor(PixelInput.RGB), id, "",
                DetectionNetwork.STAGE, classes, cropSize, 0, 0, "none-real-fake-network", 0, 0, heldOut.counts(),
                epochs, seed, null, AttributionMetadata.TORCHSCRIPT_WEIGHTS, PixelInput.RGB.label(), null);
        return DetectionCalibration.calibrate(out, draft, heldOut.images(), heldOut.labels(), rule);
    }

    /** Refuses a missing module; {@code howToWrite} says how to get one. */
    private static void requireModule(Path module, String howToWrite) throws NoSuchFileException {
        if (!Files.isRegularFile(module)) {
            throw new NoSuchFileException(module.toString(), null, "no TorchScript module there; " + howToWrite);
        }
    }

    /** The module as {@code attribution.pt} in the network directory {@code out}. */
    private static void copyModule(Path module, Path out) throws IOException {
        Files.createDirectories(out);
        Files.copy(module, out.resolve(AttributionMetadata.PARAMETERS_PREFIX + ".pt"),
                StandardCopyOption.REPLACE_EXISTING);
    }
}
