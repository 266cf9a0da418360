package dev.aidetect.heads.attribution;

import java.util.ArrayList;
import java.util.List;

/**
 * The views of an image a detection model averages at test time: its centre crop, and with {@code shift} the same
 * crop moved {@code shift} pixels towards each corner (the classic five crops, as training's random crops move it),
 * each also mirrored left-right with {@code mirror} (as training's flips). One forward pass scores them all.
 *
 * @param shift pixels each corner view moves from the centre, 0 for the centre crop alone
 * @param mirror whether every view is scored mirrored too
 */
public record TestViews(int shift, boolean mirror) {
    /** The centre crop alone: what a single network serves. */
    public static final TestViews CENTRE = new TestViews(0, false);
    /** The most a view may move: a quarter of a 32-pixel crop. */
    public static final int MAX_SHIFT = 8;

    /**
     * One view: the crop moved by {@code dx}, {@code dy} pixels, mirrored or not.
     *
     * @param dx pixels right
     * @param dy pixels down
     */
    public record Offset(int dx, int dy, boolean mirror) {
    }

    public TestViews {
        if (shift < 0 || shift > MAX_SHIFT) {
            throw new IllegalArgumentException("the views' shift must be 0 (the centre crop alone) to " + MAX_SHIFT
                    + " pixels, got " + shift);
        }
    }

    /** Every view, the centre first. */
    public List<Offset> offsets() {
        List<Offset> offsets = new ArrayList<>();
        for (boolean mirrored : mirror ? List.of(false, true) : List.of(false)) {
            offsets.add(new Offset(0, 0, mirrored));
            if (shift > 0) {
                offsets.add(new Offset(-shift, -shift, mirrored));
                offsets.add(new Offset(shift, -shift, mirrored));
                offsets.add(new Offset(-shift, shift, mirrored));
                offsets.add(new Offset(shift, shift, mirrored));
            }
        }
        return List.copyOf(offsets);
    }

    /** How many views are scored per image. */
    public int count() {
        return (shift > 0 ? 5 : 1) * (mirror ? 2 : 1);
    }

    /** A label for ids and logs: {@code centre}, or e.g. {@code shift2-mirror}. */
    public String label() {
        if (equals(CENTRE)) {
            return "centre";
        }
        return (shift > 0 ? "shift" + shift : "") + (shift > 0 && mirror ? "-" : "") + (mirror ? "mirror" : "");
    }

    @Override
    public String toString() {
        return count() + " views (" + label() + ")";
    }
}
