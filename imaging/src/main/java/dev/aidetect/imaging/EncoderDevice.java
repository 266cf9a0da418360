package dev.aidetect.imaging;

import java.lang.System.Logger.Level;

import ai.djl.Device;

/**
 * Where an encoder runs: {@code AUTO} takes the GPU when the engine sees one, else the CPU; {@code CPU} and {@code GPU}
 * insist. Half precision (fp16) runs only on a GPU, from the manifest's {@code fp16File}: with {@code AUTO} on a machine
 * without a GPU it falls back to float32 with a warning (one configuration serves GPU and CPU hosts); with {@code CPU}
 * it is refused, because the two settings contradict each other.
 */
public enum EncoderDevice {
    AUTO, CPU, GPU;

    private static final System.Logger LOG = System.getLogger(EncoderDevice.class.getName());

    /** The device and precision chosen for one encoder. */
    public record Placement(Device device, boolean fp16) {
    }

    /**
     * Chooses the device and precision for {@code manifest} given the number of GPUs the engine reports.
     *
     * @throws EncoderLoadException when the request cannot be met (no GPU for {@code GPU}, fp16 on {@code CPU}, fp16
     *         asked of an encoder without an fp16 export or not on PyTorch)
     */
    public Placement place(boolean fp16, int gpuCount, EncoderManifest manifest) throws EncoderLoadException {
        String encoder = "encoder " + manifest.id() + " v" + manifest.version();
        if (this == GPU && gpuCount == 0) {
            throw new EncoderLoadException("device gpu is configured for " + encoder + " but engine "
                    + manifest.engine() + " sees no GPU: check the driver and that the GPU build of the engine is on"
                    + " the class path, or set the device to auto or cpu");
        }
        boolean gpu = this == GPU || this == AUTO && gpuCount > 0;
        Device device = gpu ? Device.gpu() : Device.cpu();
        if (!fp16) {
            return new Placement(device, false);
        }
        if (this == CPU) {
            throw new EncoderLoadException("fp16 is set with device cpu for " + encoder
                    + ": half precision runs only on a GPU; unset fp16 or set the device to auto or gpu");
        }
        if (!gpu) {
            LOG.log(Level.WARNING, "fp16 is set but there is no GPU: {0} runs in float32 on the CPU", encoder);
            return new Placement(device, false);
        }
        if (!manifest.hasFp16File() || !"PyTorch".equals(manifest.engine())) {
            throw new EncoderLoadException("fp16 is set but " + encoder + " has no fp16File in its manifest: export"
                    + " it with --fp16 on a GPU machine (deploy/models/README.md), or unset fp16");
        }
        return new Placement(device, true);
    }
}
