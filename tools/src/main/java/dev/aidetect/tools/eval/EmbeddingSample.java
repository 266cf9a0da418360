package dev.aidetect.tools.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.ImageEmbedding;
import dev.aidetect.schemas.ImageLabel;

/**
 * A bounded sample of a run's embedding vectors for the report's map: one reservoir per true generator ({@code real}
 * for real images), seeded, so a run of any size keeps at most {@code limit} vectors per generator, and
 * {@link #sample()} gives every generator an equal share of {@code limit} points (what one leaves unused goes to the
 * others). Thread-safe: the streaming collector and the offline pipeline offer from their own threads.
 */
final class EmbeddingSample {
    /** Points of the map: t-SNE's cost grows with their square. */
    static final int DEFAULT_LIMIT = 2000;

    /** One sampled vector and the generator it is coloured by. */
    record Vector(String imageId, String generator, float[] values) {
    }

    private final int limit;
    private final Random random = new Random(42);
    private final Map<String, List<Vector>> reservoirs = new LinkedHashMap<>();
    private final Map<String, Integer> seen = new LinkedHashMap<>();

    EmbeddingSample(int limit) {
        this.limit = limit;
    }

    /** Offers an embedding of the run; one without a label or a vector is left out. */
    void offer(ImageEmbedding embedding) {
        if (embedding.getLabel() == null || embedding.getVector() == null || embedding.getVector().isEmpty()) {
            return;
        }
        List<Float> list = embedding.getVector();
        float[] values = new float[list.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = list.get(i);
        }
        offer(new Vector(embedding.getImageId(), generator(embedding.getLabel()), values));
    }

    synchronized void offer(Vector vector) {
        List<Vector> reservoir = reservoirs.computeIfAbsent(vector.generator(), g -> new ArrayList<>());
        int n = seen.merge(vector.generator(), 1, Integer::sum);
        if (reservoir.size() < limit) {
            reservoir.add(vector);
        } else {
            int slot = random.nextInt(n);
            if (slot < limit) {
                reservoir.set(slot, vector);
            }
        }
    }

    /** At most {@code limit} vectors, as evenly spread over the generators as their numbers allow. */
    synchronized List<Vector> sample() {
        List<Vector> taken = new ArrayList<>();
        List<List<Vector>> groups = new ArrayList<>(reservoirs.values());
        groups.sort((a, b) -> Integer.compare(a.size(), b.size()));
        int left = limit;
        for (int i = 0; i < groups.size(); i++) {
            int share = Math.min(groups.get(i).size(), left / (groups.size() - i));
            taken.addAll(groups.get(i).subList(0, share));
            left -= share;
        }
        return taken;
    }

    /** The generator a map colours an image by: its true generator, {@code real} for a real image. */
    static String generator(ImageLabel label) {
        if (label.getAuthenticity() != Authenticity.FAKE) {
            return "real";
        }
        return label.getGenerator() == null || label.getGenerator().isBlank()
                ? EvalImage.UNNAMED
                : label.getGenerator();
    }
}
