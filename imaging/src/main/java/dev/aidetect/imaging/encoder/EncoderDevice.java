package dev.aidetect.imaging.encoder;

import java.lang.System.Logger.Level;
import java.util.Optional;

import ai.djl.Device;

/**
 * Where an encoder runs: {@code AUTO} takes the GPU when the engine sees one, else the CPU; {@code CPU} and {@code GPU}
 * insist. {@link EncoderPrecision#FLOAT16} runs only on a GPU: with {@code AUTO} on a machine without a GPU it falls
 * back to float32 with a warning (one configuration serves GPU and CPU hosts); with {@code CPU} it is refused, because
 * the two settings contradict each other. {@link EncoderPrecision#BFLOAT16} runs on either (fast on CPUs with AVX-512
 * BF16 or AMX and on GPUs from Ampere on; emulated, slowly, elsewhere).
 */
public enum EncoderDevice {
    AUTO, CPU, GPU;

    private static final System.Logger LOG = System.getLogger(EncoderDevice.class.getName());

    /** The device and precision chosen for one encoder. */
    public record Placement(Device device, EncoderPrecision precision) {
    }

    /**
     * Chooses the device and precision for {@code manifest} given the number of GPUs the engine reports.
     *
     * @throws EncoderLoadException when the request cannot be met (no GPU for {@code GPU}, float16 on {@code CPU}, a
     *         half precision asked of an encoder without that export or not on PyTorch)
     */
    public Placement place(EncoderPrecision precision, int gpuCount, EncoderManifest manifest)
            throws EncoderLoadException {
        String encoder = "encoder " + manifest.id() + " v" + manifest.version();
        if (this == GPU && gpuCount == 0) {
            throw new EncoderLoadException("device gpu is configured for " + encoder + " but engine "
                    + manifest.engine() + " sees no GPU: check the driver and that the GPU build of the engine is on"
                    + " the class path, or set the device to auto or cpu");
        }
        boolean gpu = this == GPU || this == AUTO && gpuCount > 0;
        Device device = gpu ? Device.gpu() : Device.cpu();
        if (precision == EncoderPrecision.FLOAT16 && !gpu) {
            if (this == CPU) {
                throw new EncoderLoadException("precision float16 is set with device cpu for " + encoder
                        + ": float16 runs only on a GPU; on a CPU use bfloat16 or float32, or set the device to auto"
                        + " or gpu");
            }
            LOG.log(Level.WARNING, "precision float16 is set but there is no GPU: {0} runs in float32 on the CPU",
                    encoder);
            return new Placement(device, EncoderPrecision.FLOAT32);
        }
        if (precision != EncoderPrecision.FLOAT32
                && (!manifest.has(precision) || !"PyTorch".equals(manifest.engine()))) {
            throw new EncoderLoadException("precision " + precision.label() + " is set but " + encoder + " has no "
                    + precision.tag() + "File in its manifest: export it with --" + precision.tag()
                    + " (deploy/models/README.md), or set the precision to float32");
        }
        if (precision == EncoderPrecision.BFLOAT16 && !gpu && CpuBf16.native16().equals(Optional.of(false))) {
            LOG.log(Level.WARNING, "precision bfloat16 is set but this CPU has no bfloat16 instructions (no avx512_bf16"
                    + " or amx_bf16 in /proc/cpuinfo): libtorch emulates them, likely more slowly than float32; set the"
                    + " precision to float32 for {0} unless the benchmark says otherwise", encoder);
        }
        return new Placement(device, precision);
    }
}
