package dev.aidetect.imaging.encoder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import ai.djl.ModelException;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;

/**
 * Loads an {@link ImageEncoder} from any {@link EncoderReference}: local manifests as they are, remote ones through
 * the {@link ModelCache}, DJL model-zoo URLs through DJL's repository, on the device and in the precision that
 * {@link EncoderDevice#place} chooses.
 */
public record EncoderLoader(ModelCache cache, EncoderDevice device, EncoderPrecision precision) {

    /** The engine and preprocessing assumed for a {@code djl://} encoder, which comes without a manifest. */
    private static final String ZOO_ENGINE = "PyTorch";
    private static final List<Float> CLIP_MEAN = List.of(0.48145466f, 0.4578275f, 0.40821073f);
    private static final List<Float> CLIP_STD = List.of(0.26862954f, 0.26130258f, 0.27577711f);

    /** The default cache, the GPU when there is one, float32. */
    public static EncoderLoader defaults() {
        return new EncoderLoader(ModelCache.defaults(), EncoderDevice.AUTO, EncoderPrecision.FLOAT32);
    }

    /** Loads the encoder a reference names (see {@link EncoderReference#FORMS}). */
    public ImageEncoder load(String reference) throws EncoderLoadException {
        return switch (EncoderReference.parse(reference)) {
            case EncoderReference.Local local -> load(localManifest(local));
            case EncoderReference.Remote remote -> load(EncoderManifest.read(cache.fetch(remote.manifest())));
            case EncoderReference.Zoo zoo -> loadZoo(zoo.url());
        };
    }

    /**
     * Loads several encoders to run side by side as one ({@link ImageEncoder#combine}); one reference loads as
     * {@link #load(String)} does. Closes what it loaded when one fails.
     */
    public ImageEncoder load(List<String> references) throws EncoderLoadException {
        List<ImageEncoder> loaded = new ArrayList<>();
        try {
            for (String reference : references) {
                loaded.add(load(reference));
            }
            return ImageEncoder.combine(loaded);
        } catch (EncoderLoadException | RuntimeException e) {
            loaded.forEach(ImageEncoder::close);
            throw e;
        }
    }

    /** Verifies the model file's checksum and loads it, then checks it on an image of zeros. */
    public ImageEncoder load(EncoderManifest manifest) throws EncoderLoadException {
        EncoderDevice.Placement placement = device.place(precision, gpuCount(manifest.engine()), manifest);
        Path file = manifest.verifiedFile(placement.precision());
        String fileName = file.getFileName().toString();
        String stem = fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
        Supplier<Criteria<NDList, NDList>> criteria = () -> Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                // A directory plus model name is DJL's usual local layout (a bare file path loads too, with a warning).
                .optModelPath(file.getParent())
                .optModelName(stem)
                .optEngine(manifest.engine())
                .optDevice(placement.device())
                // Load the weights onto the chosen device even if the file was traced on the CPU (PyTorch only).
                .optOption("mapLocation", "true")
                .build();
        String what = "encoder " + manifest.id() + " v" + manifest.version() + " from " + file + " with engine "
                + manifest.engine() + " on " + placement.device();
        return ImageEncoder.checked(manifest.in(placement.precision()), loadModel(criteria, what),
                placement.precision());
    }

    private static EncoderManifest localManifest(EncoderReference.Local local) throws EncoderLoadException {
        EncoderManifest manifest = EncoderManifest.read(local.manifest());
        Path named = local.model() == null ? null : local.model().toAbsolutePath().normalize();
        if (named != null && !named.equals(manifest.file()) && !named.equals(manifest.fp16File())
                && !named.equals(manifest.bf16File())) {
            throw new EncoderLoadException("model file " + named + " is not the one its manifest " + local.manifest()
                    + " describes (" + manifest.file() + "): point the setting at that manifest, or write a"
                    + " manifest for this file in its own directory");
        }
        return manifest;
    }

    /**
     * A {@code djl://} encoder: DJL downloads and caches it; it is fed as CLIP is (224 px, CLIP mean/std) and its
     * embedding size is read from a probe run. Its identity in every embedding is the URL.
     */
    private ImageEncoder loadZoo(String url) throws EncoderLoadException {
        EncoderManifest assumed = new EncoderManifest(url, "djl", Path.of(url.replace("://", "/")), ZOO_ENGINE, 224,
                PreprocessMode.CLIP, CLIP_MEAN, CLIP_STD, 1, "", null, null, null, null);
        EncoderDevice.Placement placement = device.place(precision, gpuCount(ZOO_ENGINE), assumed);
        Supplier<Criteria<NDList, NDList>> criteria = () -> Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelUrls(url)
                .optEngine(ZOO_ENGINE)
                .optDevice(placement.device())
                .build();
        ZooModel<NDList, NDList> model = loadModel(criteria, "DJL model-zoo encoder " + url + " (its zoo's artifact,"
                + " such as ai.djl.pytorch:pytorch-model-zoo, must be on the class path; DJL caches the model under"
                + " ~/.djl.ai, and with ai.djl.offline=true or no network it must already be there: load it once on a"
                + " machine with internet and copy ~/.djl.ai, or export it as TorchScript with a manifest.json and"
                + " point the setting at that)");
        long size;
        try (Predictor<NDList, NDList> predictor = model.newPredictor();
                NDManager scope = model.getNDManager().newSubManager()) {
            NDList output = predictor.predict(new NDList(scope.zeros(new Shape(1, 3, 224, 224))));
            output.attach(scope);
            size = output.get(0).getShape().getShape().length == 2 ? output.get(0).getShape().get(1) : -1;
        } catch (TranslateException | RuntimeException e) {
            model.close();
            throw new EncoderLoadException("DJL model-zoo encoder " + url + " does not take a 224 px RGB batch: "
                    + e.getMessage(), e);
        }
        if (size <= 0) {
            model.close();
            throw new EncoderLoadException("DJL model-zoo encoder " + url + " does not return one vector per image");
        }
        EncoderManifest manifest = new EncoderManifest(url, "djl", model.getModelPath(), ZOO_ENGINE, 224,
                PreprocessMode.CLIP, assumed.mean(), assumed.std(), (int) size, "", null, null, null, null);
        return ImageEncoder.checked(manifest, model, EncoderPrecision.FLOAT32);
    }

    private static int gpuCount(String engine) throws EncoderLoadException {
        try {
            return Engine.getEngine(engine).getGpuCount();
        } catch (IllegalArgumentException e) {
            throw new EncoderLoadException("DJL engine '" + engine + "' is not available (" + e.getMessage()
                    + "): use PyTorch (TorchScript .pt) or OnnxRuntime (.onnx) in the manifest's engine field", e);
        }
    }

    /** Builds the criteria and loads the model; DJL reports a bad URL or a missing zoo while building. */
    private static ZooModel<NDList, NDList> loadModel(Supplier<Criteria<NDList, NDList>> criteria, String what)
            throws EncoderLoadException {
        try {
            return criteria.get().loadModel();
        } catch (IOException | ModelException | RuntimeException e) {
            throw new EncoderLoadException("DJL could not load " + what + ": " + e.getMessage(), e);
        }
    }
}
