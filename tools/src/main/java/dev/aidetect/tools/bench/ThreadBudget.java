package dev.aidetect.tools.bench;

import dev.aidetect.embedding.TorchThreads;
import dev.aidetect.imaging.encoder.EncoderDevice;

/**
 * The CPU threads a mode may use: {@code total} for decoding and for torch (the python peer runs one loop on all of
 * them), shared out among {@code inference} threads that run forward passes side by side, as the embedder does.
 */
record ThreadBudget(int total, int inference) {
    ThreadBudget {
        if (total < 1 || inference < 1) {
            throw new IllegalArgumentException("--threads and --inference-threads must be at least 1, got " + total
                    + " and " + inference);
        }
    }

    /** {@code inference} as given, else the embedder's default for the device. */
    static ThreadBudget of(int total, Integer inference, EncoderDevice device) {
        return new ThreadBudget(total, inference != null
                ? inference
                : TorchThreads.defaultInferenceThreads(device == EncoderDevice.GPU, total));
    }

    /** libtorch intra-op threads of each inference thread. */
    int torchEach() {
        return TorchThreads.shareOf(total, inference);
    }

    @Override
    public String toString() {
        return total + " threads, " + inference + " inference thread" + (inference == 1 ? "" : "s") + " x "
                + torchEach() + " torch";
    }
}
