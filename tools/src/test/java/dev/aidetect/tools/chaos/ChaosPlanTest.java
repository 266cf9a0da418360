package dev.aidetect.tools.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.aidetect.tools.chaos.ChaosPlan.Kill;
import dev.aidetect.tools.chaos.ChaosPlan.Target;

class ChaosPlanTest {
    @Test
    void killsEveryComponentTwiceFromEightKills() {
        ChaosPlan plan = ChaosPlan.of(10_000, 12, 128, 1);

        assertThat(plan.kills()).hasSize(12);
        for (Target target : Target.values()) {
            assertThat(plan.count(target)).as(target.label()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void killsEveryComponentOnceInAShortRun() {
        ChaosPlan plan = ChaosPlan.of(1_500, 5, 128, 7);

        assertThat(plan.kills()).hasSize(5);
        for (Target target : Target.values()) {
            assertThat(plan.count(target)).as(target.label()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void killsComeInOrderInsideTheirSliceWithImagesStillInFlight() {
        ChaosPlan plan = ChaosPlan.of(1_500, 5, 128, 3);

        int sliceStart = 150;
        for (Kill kill : plan.kills()) {
            assertThat(kill.atFinals()).as("kill %d", kill.number()).isGreaterThanOrEqualTo(sliceStart)
                    .isLessThanOrEqualTo(kill.holdFrom() - Math.min(128, (kill.holdFrom() - sliceStart) / 2));
            sliceStart = kill.holdFrom();
        }
        assertThat(plan.kills().getLast().holdFrom()).isEqualTo(plan.afterFrom()).isEqualTo(1_350);
    }

    @Test
    void sameSeedSamePlanOtherSeedOtherPlan() {
        assertThat(ChaosPlan.of(10_000, 12, 128, 5)).isEqualTo(ChaosPlan.of(10_000, 12, 128, 5))
                .isNotEqualTo(ChaosPlan.of(10_000, 12, 128, 6));
    }

    @Test
    void refusesFewerKillsThanComponentsAndTooFewImages() {
        assertThatThrownBy(() -> ChaosPlan.of(1_000, 3, 10, 1)).hasMessageContaining("at least 4");
        assertThatThrownBy(() -> ChaosPlan.of(20, 12, 10, 1)).hasMessageContaining("give more --images");
    }
}
