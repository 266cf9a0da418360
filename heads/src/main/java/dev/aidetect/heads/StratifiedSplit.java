package dev.aidetect.heads;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A seeded train/validation split that keeps each class's share: every class gives the same fraction of its
 * examples (at least one) to validation, so a rare class is never missing from either side.
 *
 * @param train indices of the training examples
 * @param validation indices of the held-out examples
 */
public record StratifiedSplit(List<Integer> train, List<Integer> validation) {

    /**
     * @param labels class index of each example
     * @param classes number of classes
     * @throws IllegalArgumentException when a class has fewer than two examples (one to train, one to validate)
     */
    public static StratifiedSplit of(int[] labels, List<String> classes, double validationFraction, long seed) {
        if (validationFraction <= 0 || validationFraction >= 1) {
            throw new IllegalArgumentException(
                    "validation fraction must be between 0 and 1 (exclusive), got " + validationFraction);
        }
        Random random = new Random(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    members.add(i);
                }
            }
            if (members.size() < 2) {
                throw new IllegalArgumentException("class '" + classes.get(c) + "' has " + members.size()
                        + " examples; each class needs at least 2 (one to train on, one to validate)");
            }
            Collections.shuffle(members, random);
            int held = Math.clamp(Math.round(members.size() * validationFraction), 1, members.size() - 1);
            validation.addAll(members.subList(0, held));
            train.addAll(members.subList(held, members.size()));
        }
        Collections.shuffle(train, random);
        return new StratifiedSplit(List.copyOf(train), List.copyOf(validation));
    }
}
