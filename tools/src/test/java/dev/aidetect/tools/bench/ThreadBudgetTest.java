package dev.aidetect.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.aidetect.imaging.encoder.EncoderDevice;

/** How {@code bench embed --threads/--inference-threads} share the cores, as the embedder does. */
class ThreadBudgetTest {
    @Test
    void sharesTheCoresOutAmongTheInferenceThreads() {
        ThreadBudget budget = ThreadBudget.of(8, 2, EncoderDevice.CPU);

        assertThat(budget.torchEach()).isEqualTo(4);
        assertThat(budget).hasToString("8 threads, 2 inference threads x 4 torch");
    }

    @Test
    void withoutInferenceThreadsGivenTakesTheEmbeddersDefault() {
        assertThat(ThreadBudget.of(4, null, EncoderDevice.CPU).inference()).isEqualTo(2);
        assertThat(ThreadBudget.of(1, null, EncoderDevice.CPU).inference()).isEqualTo(1);
        assertThat(ThreadBudget.of(4, null, EncoderDevice.GPU).inference()).isEqualTo(1);
    }

    @Test
    void everyInferenceThreadGetsAtLeastOneTorchThread() {
        ThreadBudget budget = ThreadBudget.of(2, 3, EncoderDevice.CPU);

        assertThat(budget.torchEach()).isEqualTo(1);
        assertThat(budget).hasToString("2 threads, 3 inference threads x 1 torch");
    }

    @Test
    void refusesZeroThreadsNamingBothOptions() {
        assertThatThrownBy(() -> ThreadBudget.of(0, 1, EncoderDevice.CPU)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--threads and --inference-threads must be at least 1, got 0 and 1");
        assertThatThrownBy(() -> ThreadBudget.of(4, 0, EncoderDevice.CPU)).hasMessageContaining("got 4 and 0");
    }
}
