package dev.aidetect.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.aidetect.schemas.Authenticity;
import dev.aidetect.schemas.ImageLabel;

class SubmissionsTest {
    private static final PipelineImages.Sets SETS = new PipelineImages.Sets(set(false), set(true));

    /** Eight images alternating real and fake (gan, diffusion, gan, diffusion), as PipelineImages orders them. */
    private static List<PipelineImages.Image> set(boolean phone) {
        return IntStream.range(0, 8).mapToObj(i -> new PipelineImages.Image((phone ? "phone-" : "small-") + i,
                new byte[]{(byte) i}, "image/jpeg", i % 2 == 0
                        ? new ImageLabel(Authenticity.REAL, null, null, null)
                        : new ImageLabel(Authenticity.FAKE, i % 4 == 1 ? "gan" : "diffusion", "g" + i, null),
                phone)).toList();
    }

    @Test
    void spreadsThePhoneShareEvenlyAndHalfOfEachKindIsFake() {
        // when 100 submissions are planned with 30% phone-size images
        List<Submissions.Submission> plan = Submissions.plan(SETS, 100, 0.3, 0, "run");

        // then 30 are phone-size, no stretch of 10 has more than 3, and half of each kind are fakes of both families
        assertThat(plan.stream().filter(s -> s.image().phone()).count()).isEqualTo(30);
        for (int start = 0; start + 10 <= 100; start += 10) {
            assertThat(plan.subList(start, start + 10).stream().filter(s -> s.image().phone()).count()).isEqualTo(3);
        }
        for (boolean phone : new boolean[]{true, false}) {
            List<PipelineImages.Image> kind = plan.stream().map(Submissions.Submission::image)
                    .filter(i -> i.phone() == phone).toList();
            assertThat(kind.stream().filter(PipelineImages.Image::fake).count()).isEqualTo(kind.size() / 2);
            assertThat(kind.stream().filter(PipelineImages.Image::fake).map(i -> i.label().getFamily()).distinct())
                    .containsExactlyInAnyOrder("gan", "diffusion");
        }
    }

    @Test
    void sendsTheUriShareOfEachKindsRealsAndFakesByUriAcrossTheImagesAndGivesEverySubmissionItsOwnId() {
        // when 400 submissions are planned, half phone-size, a quarter of each kind by uri
        List<Submissions.Submission> plan = Submissions.plan(SETS, 400, 0.5, 0.25, "run");

        // then of each kind's 100 reals and 100 fakes about 25 go by uri, and they are not always the same images
        for (boolean phone : new boolean[]{true, false}) {
            for (boolean fake : new boolean[]{true, false}) {
                List<Submissions.Submission> group = plan.stream().filter(s -> s.image().phone() == phone
                        && s.image().fake() == fake).toList();
                assertThat(group).hasSize(100);
                assertThat(group.stream().filter(Submissions.Submission::byUri).count()).isBetween(23L, 27L);
                assertThat(group.stream().filter(Submissions.Submission::byUri).map(s -> s.image().name())
                        .distinct().count()).as("images sent by uri").isEqualTo(4);
            }
        }
        assertThat(plan.stream().map(Submissions.Submission::imageId).distinct()).hasSize(400);
        assertThat(plan.getFirst().imageId()).isEqualTo("run-00000");
    }

    @Test
    void noShareMeansNoneAndAWholeShareMeansAll() {
        assertThat(IntStream.range(0, 50).filter(i -> Submissions.spreadHit(i, 0))).isEmpty();
        assertThat(IntStream.range(0, 50).filter(i -> Submissions.spreadHit(i, 1))).hasSize(50);
        assertThat(IntStream.range(0, 50).filter(i -> Submissions.scattered(i, 0))).isEmpty();
        assertThat(IntStream.range(0, 50).filter(i -> Submissions.scattered(i, 1))).hasSize(50);
    }
}
