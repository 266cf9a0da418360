package dev.aidetect.tools.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * What {@code chaos} does and when, decided from a seed before it starts, so that a run can be repeated. The images are
 * cut in order into a <em>before</em> part (a tenth), one slice per kill, and an <em>after</em> part (a tenth). Kill
 * {@code k} comes when the final verdicts reach a point drawn at random inside slice {@code k} (never in its last
 * {@code inFlight} images, so images are in flight when it comes), and once kill {@code k - 1}'s component is back;
 * images past slice {@code k} are sent only after kill {@code k}, so a slow recovery cannot let the images run out
 * before the kills do. The after part is sent once the last component is back: its rate is the recovered pipeline's.
 * Moments are drawn by progress rather than by the clock because the clock's pace of a busy 2-core machine varies.
 *
 * @param images how many images the run submits
 * @param kills the kills in order
 * @param afterFrom the index of the first image of the after part
 */
public record ChaosPlan(int images, List<Kill> kills, int afterFrom) {
    /** A component {@code chaos} kills. */
    public enum Target {
        EMBEDDER("embedder"), CLASSIFIER("classifier"), ROUTER("router"), KAFKA("kafka");

        private final String label;

        Target(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One kill.
     *
     * @param number 1-based
     * @param target what is killed
     * @param atFinals how many final verdicts have arrived when it comes
     * @param holdFrom the first image index that is sent only after this kill
     */
    public record Kill(int number, Target target, int atFinals, int holdFrom) {
    }

    /** The fewest kills: one of each component. */
    public static final int MIN_KILLS = Target.values().length;
    /** From this many kills on, every component is killed at least twice. */
    static final int TWICE_EACH_FROM = 2 * Target.values().length;

    public ChaosPlan {
        kills = List.copyOf(kills);
    }

    /**
     * @param inFlight the most images sent and without a final verdict at a time
     * @throws IllegalArgumentException when the numbers leave a kill without images to flow around it
     */
    public static ChaosPlan of(int images, int kills, int inFlight, long seed) {
        if (kills < MIN_KILLS) {
            throw new IllegalArgumentException("--kills must be at least " + MIN_KILLS + " (one of each component)");
        }
        int edge = Math.max(1, images / 10);
        int during = images - 2 * edge;
        int slice = during / kills;
        if (slice < 2) {
            throw new IllegalArgumentException(images + " images leave fewer than 2 per kill for " + kills
                    + " kills (a tenth goes before the first kill and a tenth after the last): give more --images");
        }
        Random random = new Random(seed);
        List<Target> order = targets(kills, random);
        List<Kill> plan = new ArrayList<>();
        for (int k = 0; k < kills; k++) {
            int start = edge + k * slice;
            int end = k == kills - 1 ? images - edge : start + slice;
            int room = Math.max(1, (end - start) - Math.min(inFlight, (end - start) / 2));
            plan.add(new Kill(k + 1, order.get(k), start + random.nextInt(room), end));
        }
        return new ChaosPlan(images, plan, images - edge);
    }

    /** Each component once, or twice from {@link #TWICE_EACH_FROM} kills on; the rest drawn at random; shuffled. */
    private static List<Target> targets(int kills, Random random) {
        int each = kills >= TWICE_EACH_FROM ? 2 : 1;
        List<Target> order = new ArrayList<>();
        for (Target target : Target.values()) {
            for (int i = 0; i < each; i++) {
                order.add(target);
            }
        }
        while (order.size() < kills) {
            order.add(Target.values()[random.nextInt(Target.values().length)]);
        }
        Collections.shuffle(order, random);
        return order;
    }

    /** How many kills of {@code target} the plan has. */
    public long count(Target target) {
        return kills.stream().filter(k -> k.target() == target).count();
    }
}
