package dev.aidetect.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The embedding map's sample and map: bounded, shared evenly among generators, clusters kept apart. */
class EmbeddingSampleTest {

    @Test
    void keepsAtMostTheLimitSharedEvenlyAmongGenerators() {
        EmbeddingSample sample = new EmbeddingSample(100);
        for (int i = 0; i < 5000; i++) {
            sample.offer(new EmbeddingSample.Vector("r" + i, "real", new float[]{i}));
        }
        for (int i = 0; i < 1000; i++) {
            sample.offer(new EmbeddingSample.Vector("s" + i, "sd-1.4", new float[]{i}));
        }
        for (int i = 0; i < 10; i++) {
            sample.offer(new EmbeddingSample.Vector("g" + i, "stylegan", new float[]{i}));
        }

        List<EmbeddingSample.Vector> taken = sample.sample();

        Map<String, Long> counts = taken.stream().collect(Collectors.groupingBy(EmbeddingSample.Vector::generator,
                Collectors.counting()));
        assertThat(taken).hasSize(100);
        // the small generator gives all it has; the other two share the rest
        assertThat(counts).containsEntry("stylegan", 10L).containsEntry("real", 45L).containsEntry("sd-1.4", 45L);
        // a reservoir, not the first ones offered
        assertThat(taken).anySatisfy(v -> assertThat(Integer.parseInt(v.imageId().substring(1))).isGreaterThan(100));
    }

    @Test
    void mapKeepsTwoWellSeparatedCloudsApart() {
        Random random = new Random(1);
        EmbeddingSample sample = new EmbeddingSample(1000);
        for (int i = 0; i < 120; i++) {
            float[] a = new float[8];
            float[] b = new float[8];
            for (int d = 0; d < 8; d++) {
                a[d] = (float) random.nextGaussian();
                b[d] = (float) (10 + random.nextGaussian());
            }
            sample.offer(new EmbeddingSample.Vector("a" + i, "real", a));
            sample.offer(new EmbeddingSample.Vector("b" + i, "sd", b));
        }

        EmbeddingMap map = EmbeddingMap.of(sample.sample());

        assertThat(map.sampled()).isEqualTo(240);
        Map<String, double[]> centres = map.points().stream().collect(Collectors.groupingBy(Svg.Point::group,
                Collectors.collectingAndThen(Collectors.toList(), ps -> new double[]{
                        ps.stream().mapToDouble(Svg.Point::x).average().orElseThrow(),
                        ps.stream().mapToDouble(Svg.Point::y).average().orElseThrow()})));
        double apart = Math.hypot(centres.get("real")[0] - centres.get("sd")[0],
                centres.get("real")[1] - centres.get("sd")[1]);
        double spread = map.points().stream().filter(p -> p.group().equals("real"))
                .mapToDouble(p -> Math.hypot(p.x() - centres.get("real")[0], p.y() - centres.get("real")[1]))
                .average().orElseThrow();
        assertThat(apart).isGreaterThan(2 * spread);
    }

    @Test
    void tooFewVectorsMakeNoMap() {
        assertThat(EmbeddingMap.of(List.of(new EmbeddingSample.Vector("a", "real", new float[]{1})))).isNull();
    }
}
