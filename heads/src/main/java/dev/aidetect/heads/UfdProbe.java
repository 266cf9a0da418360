package dev.aidetect.heads;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The UniversalFakeDetect linear probe (Ojha et al., CVPR 2023) as a detection head: logit = weight . x + bias on the
 * RAW 768-d OpenAI CLIP ViT-L/14 image feature (no normalisation), FAKE when the logit is positive, score =
 * sigmoid(logit). Reads the published {@code fc_weights.pth} (a PyTorch zip: a pickled state dict naming its storages,
 * plus each storage as raw little-endian float32) or the same numbers as raw float32 files.
 */
public final class UfdProbe {
    public static final String ID = "ufd-probe";
    public static final String ENCODER_ID = "openai-clip-vit-l-14";
    public static final int EMBEDDING_SIZE = 768;

    private UfdProbe() {
    }

    /** Loads the probe from the original PyTorch {@code fc_weights.pth}. */
    public static VectorHead fromPth(Path pth) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        // ZipFile, not ZipInputStream: PyTorch writes stored entries with data descriptors, which only the central
        // directory describes.
        try (ZipFile zip = new ZipFile(pth.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                String name = entry.getName();
                try (InputStream in = zip.getInputStream(entry)) {
                    entries.put(name.substring(name.indexOf('/') + 1), in.readAllBytes());
                }
            }
        } catch (ZipException e) {
            entries.clear();
        }
        byte[] pickle = entries.get("data.pkl");
        if (pickle == null) {
            throw new IOException(pth + " is not a PyTorch zip checkpoint (no data.pkl); pass fc_weights.pth "
                    + "from UniversalFakeDetect or the raw float32 files");
        }
        List<String> strings = pickleStrings(pickle);
        float[] weight = floats(storage(entries, strings, "weight", pth), EMBEDDING_SIZE, pth + " weight");
        float[] bias = floats(storage(entries, strings, "bias", pth), 1, pth + " bias");
        return of(weight, bias[0], pth.getFileName().toString());
    }

    /** Loads the probe from raw little-endian float32 files (768 weights, 1 bias). */
    public static VectorHead fromRaw(Path weights, Path bias) throws IOException {
        return of(floats(Files.readAllBytes(weights), EMBEDDING_SIZE, weights.toString()),
                floats(Files.readAllBytes(bias), 1, bias.toString())[0], weights.getFileName().toString());
    }

    /** Writes the probe as a head artifact that {@link VectorHead#load(Path)} (and so the classifier) serves. */
    public static VectorHead save(VectorHead probe, Path out) throws IOException {
        return new VectorHead(HeadArtifact.write(out, probe.metadata(), probe.model()), probe.model());
    }

    private static VectorHead of(float[] weight, float bias, String source) {
        double[] w = new double[weight.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = weight[i];
        }
        HeadMetadata metadata = new HeadMetadata(HeadMetadata.FORMAT_VERSION, ID, "", HeadStage.DETECTION,
                List.of("REAL", "FAKE"), "FAKE", new HeadMetadata.Encoder(ENCODER_ID, EMBEDDING_SIZE),
                new Preprocessing(false, null, null), 0.5, "published: logit > 0", ID,
                Map.of("source", source, "bias", String.valueOf(bias)), null, null, null, "sigmoid-of-published-logit",
                new HeadMetadata.Reduction(HeadReduction.Method.NONE.id(), 0, 0, 0, null));
        return new VectorHead(metadata, new LinearProbe(w, bias));
    }

    /** The storage bytes of a state-dict entry: the first all-digit string after its name is its storage key. */
    private static byte[] storage(Map<String, byte[]> entries, List<String> strings, String name, Path pth)
            throws IOException {
        int at = strings.indexOf(name);
        for (int i = at + 1; at >= 0 && i < strings.size(); i++) {
            if (strings.get(i).matches("\\d+")) {
                byte[] bytes = entries.get("data/" + strings.get(i));
                if (bytes != null) {
                    return bytes;
                }
            }
        }
        throw new IOException(pth + " has no '" + name + "' tensor with a stored float32 storage (pickle strings: "
                + strings + "); it is not the UniversalFakeDetect fc_weights.pth");
    }

    /** The text strings of a pickle (BINUNICODE and SHORT_BINUNICODE), in order. */
    private static List<String> pickleStrings(byte[] pickle) {
        List<String> strings = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < pickle.length - 1; i++) {
            int length = -1;
            int start = 0;
            if (pickle[i] == 'X' && i + 5 <= pickle.length) {
                length = buffer.getInt(i + 1);
                start = i + 5;
            } else if ((pickle[i] & 0xff) == 0x8c) {
                length = pickle[i + 1] & 0xff;
                start = i + 2;
            }
            if (length >= 0 && start + length <= pickle.length) {
                strings.add(new String(pickle, start, length, StandardCharsets.UTF_8));
                i = start + length - 1;
            }
        }
        return strings;
    }

    private static float[] floats(byte[] bytes, int count, String what) throws IOException {
        if (bytes.length != count * Float.BYTES) {
            throw new IOException(what + " has " + bytes.length + " bytes but the probe needs " + count
                    + " little-endian float32 values (" + count * Float.BYTES + " bytes)");
        }
        float[] values = new float[count];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }
}
