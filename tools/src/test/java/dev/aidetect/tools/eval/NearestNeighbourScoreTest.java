package dev.aidetect.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The deep nearest-neighbour open-set score: minus the distance to the k-th nearest unit training feature. */
class NearestNeighbourScoreTest {
    @Test
    void kMustBeWithinTheBank() {
        List<float[]> bank = List.of(new float[]{1, 0}, new float[]{0, 1}, new float[]{1, 1});

        assertThatThrownBy(() -> NearestNeighbourScore.fit(bank, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("k must be within [1, 3] (the bank size), got 0");
        assertThatThrownBy(() -> NearestNeighbourScore.fit(bank, 4)).hasMessageContaining("got 4");
        assertThat(NearestNeighbourScore.fit(bank, 3).k()).isEqualTo(3);
    }

    @Test
    void isTheDistanceToTheKthNearestWhateverTheOrderOfTheBank() {
        // given
        Random random = new Random(5);
        List<float[]> bank = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            bank.add(gaussian(random, 8));
        }
        float[] query = gaussian(random, 8);

        for (int k : new int[]{1, 2, 5, 60}) {
            // when
            double score = NearestNeighbourScore.fit(bank, k).score(query);
            List<float[]> shuffled = new ArrayList<>(bank);
            Collections.shuffle(shuffled, new Random(k));
            double again = NearestNeighbourScore.fit(shuffled, k).score(query);

            // then
            assertThat(score).as("k=%d", k).isCloseTo(-kthDistance(bank, query, k), within(1e-5));
            assertThat(again).as("k=%d, shuffled", k).isCloseTo(score, within(1e-9));
        }
    }

    @Test
    void onlyTheDirectionOfAFeatureCounts() {
        List<float[]> bank = List.of(new float[]{1, 0}, new float[]{0, 2}, new float[]{3, 3});
        NearestNeighbourScore score = NearestNeighbourScore.fit(bank, 2);

        assertThat(score.score(new float[]{10, 1})).isCloseTo(score.score(new float[]{0.1f, 0.01f}), within(1e-6));
        assertThat(NearestNeighbourScore.fit(List.of(new float[]{5, 0}), 1).score(new float[]{0.5f, 0}))
                .isCloseTo(0, within(1e-6));
    }

    @Test
    void aBankMemberRepeatedKTimesIsAtDistanceZero() {
        List<float[]> bank = List.of(new float[]{1, 0}, new float[]{2, 0}, new float[]{0, 1});

        assertThat(NearestNeighbourScore.fit(bank, 2).score(new float[]{1, 0})).isCloseTo(0, within(1e-6));
        assertThat(NearestNeighbourScore.fit(bank, 3).score(new float[]{1, 0})).isCloseTo(-Math.sqrt(2),
                within(1e-6));
    }

    @Test
    void anAllZeroFeatureScoresAsFarAsAnOrthogonalOne() {
        NearestNeighbourScore score = NearestNeighbourScore.fit(List.of(new float[]{1, 0}), 1);

        assertThat(score.score(new float[]{0, 0})).isCloseTo(-Math.sqrt(2), within(1e-6));
    }

    private static float[] gaussian(Random random, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    /** Brute force: Euclidean distances between unit vectors, sorted, the k-th. */
    private static double kthDistance(List<float[]> bank, float[] query, int k) {
        double[] q = unit(query);
        double[] distances = bank.stream().mapToDouble(member -> {
            double[] m = unit(member);
            double sum = 0;
            for (int i = 0; i < q.length; i++) {
                sum += (q[i] - m[i]) * (q[i] - m[i]);
            }
            return Math.sqrt(sum);
        }).toArray();
        Arrays.sort(distances);
        return distances[k - 1];
    }

    private static double[] unit(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        double[] u = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = v[i] / Math.sqrt(norm);
        }
        return u;
    }
}
