package dev.aidetect.tools.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

import dev.aidetect.embedding.TorchThreads;
import dev.aidetect.heads.ThresholdRule;
import dev.aidetect.heads.attribution.AttributionMetadata;
import dev.aidetect.heads.attribution.AttributionOptions;
import dev.aidetect.heads.attribution.AttributionTrainer;
import dev.aidetect.heads.attribution.DetectionEnsemble;
import dev.aidetect.heads.attribution.DetectionNetwork;
import dev.aidetect.heads.attribution.TestViews;
import dev.aidetect.tools.cli.Progress;
import dev.aidetect.tools.dataset.LabelledImage;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "detector-ensemble", mixinStandardHelpOptions = true, description = "Average real/fake networks "
        + "trained by 'train detector' on the same images with the same seed into one detection model, over test-time "
        + "views of each image (--shift, --mirror), its serving threshold chosen on the images they all held out; "
        + "written to <out>/detection-network, served as a single network is. One network with views is test-time "
        + "augmentation alone.")
public final class TrainDetectorEnsembleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--members", required = true, split = ",", paramLabel = "DIR", description = "The networks' "
            + "directories (each a 'train detector' output's detection-network): at least 2, or 1 with views.")
    List<Path> members;

    @Option(names = "--images", required = true, description = "The labelled folder the members were trained on, "
            + "e.g. ../shared/data/cifake-train: its held-out share picks the threshold.")
    Path images;

    @Option(names = "--per-class", defaultValue = "0", description = "The --per-class the members were trained with "
            + "(0: all; default ${DEFAULT-VALUE}).")
    int perClass;

    @Option(names = "--validation", defaultValue = ""
            + AttributionOptions.DETECTOR_VALIDATION, description = "The --validation the members were trained with "
                    + "(default ${DEFAULT-VALUE}).")
    double validation;

    @Option(names = "--held-out", paramLabel = "FILE", description = "The images the members held out, one path a "
            + "line relative to --images (the heldout.txt deploy/models/train_detector.py writes): for members "
            + "imported with 'train import-detector'; instead of re-splitting --images with the members' seed.")
    Path heldOutList;

    @Option(names = "--shift", defaultValue = "0", description = "Also score the crop moved this many pixels towards "
            + "each corner (five views; 2 on CIFAKE's 32x32 images: the five 28x28 crops) (default ${DEFAULT-VALUE}: "
            + "the centre crop alone).")
    int shift;

    @Option(names = "--mirror", description = "Also score every view mirrored left-right (twice the inference).")
    boolean mirror;

    @Option(names = "--id", description = "Model id (default detection-ensemble-<members>[-shift<N>][-mirror]).")
    String id;

    @Mixin
    DetectionThresholdOption threshold;

    @Option(names = "--out", defaultValue = "models", description = "Output folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() {
        TestViews views;
        try {
            views = new TestViews(shift, mirror);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--shift: " + e.getMessage());
        }
        if (members.size() < 2 && views.count() == 1) {
            throw new ParameterException(spec.commandLine(), "--members needs at least 2 networks, or 1 with "
                    + "--shift or --mirror; got " + members.size() + " and the centre crop alone");
        }
        ThresholdRule rule = threshold.rule();
        // As train detector: libtorch's threads wait passively (spinning ones starve a shared CPU), set before the
        // engine loads.
        TorchThreads.apply(1, OptionalInt.of(Runtime.getRuntime().availableProcessors()), 1, "passive");
        PrintWriter err = spec.commandLine().getErr();
        String ensembleId = id != null ? id : DetectionEnsemble.defaultId(members.size(), views);
        ModelTraining training = new ModelTraining(spec.commandLine().getOut());
        if (heldOutList != null) {
            singleNetworks();
            AttributionTrainer.HeldOut heldOut = TrainImportDetectorCommand.listedHeldOut(spec, training, images,
                    heldOutList);
            training.writeDetectionEnsemble(heldOut, members, views, ensembleId, rule, out,
                    total -> Progress.counter("scoring", total, err));
            return 0;
        }
        long seed = sharedSeed();
        List<LabelledImage> chosen = ModelTraining.sample(LabelledImage.collect(List.of(images)), perClass, seed);
        training.writeDetectionEnsemble(chosen, members, views, ensembleId, validation, seed, rule, out,
                Progress.counter("decoding", chosen.size(), err), total -> Progress.counter("scoring", total, err));
        return 0;
    }

    /** Each member's metadata, checking that none is an ensemble already. */
    private List<AttributionMetadata> singleNetworks() {
        List<AttributionMetadata> metadata = new ArrayList<>();
        for (Path member : members) {
            try (DetectionNetwork network = DetectionNetwork.load(member)) {
                if (network.members().size() != 1) {
                    throw new ParameterException(spec.commandLine(), member + " is an ensemble already; give its "
                            + "member networks instead");
                }
                metadata.add(network.metadata());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load member " + member + ": " + e.getMessage(), e);
            }
        }
        return metadata;
    }

    /** The seed every member was split with; members of different seeds held out different images. */
    private long sharedSeed() {
        List<AttributionMetadata> metadata = singleNetworks();
        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < metadata.size(); i++) {
            seeds.add(metadata.get(i).id() + " in " + members.get(i) + ": seed " + metadata.get(i).seed());
        }
        if (metadata.stream().mapToLong(AttributionMetadata::seed).distinct().count() > 1) {
            throw new ParameterException(spec.commandLine(), "the members were split with different seeds, so they "
                    + "held out different images (" + String.join("; ", seeds) + "): train them with one --seed");
        }
        return metadata.getFirst().seed();
    }
}
