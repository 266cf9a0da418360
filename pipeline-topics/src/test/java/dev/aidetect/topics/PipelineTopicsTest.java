package dev.aidetect.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/** Which start-up failures a service waits out (the broker does not answer) and which stop it (the broker refused). */
class PipelineTopicsTest {
    @Test
    void waitsWhenTheBrokerDoesNotAnswerInTime() {
        var failure = new IllegalStateException("cannot create the pipeline topics on localhost:9092",
                new ExecutionException(new TimeoutException("Timed out waiting for a node assignment")));

        assertThat(PipelineTopics.brokerUnreachable(failure)).isTrue();
    }

    @Test
    void stopsWhenATopicHasAnotherPartitionCount() {
        var failure = new IllegalStateException(
                "topic verdicts.final has 1 partitions but the pipeline is configured for 3");

        assertThat(PipelineTopics.brokerUnreachable(failure)).isFalse();
    }

    @Test
    void stopsWhenTheServiceMayNotCreateTopics() {
        var failure = new IllegalStateException("cannot create the pipeline topics on localhost:9092",
                new ExecutionException(new TopicAuthorizationException(Set.of("images.ingest"))));

        assertThat(PipelineTopics.brokerUnreachable(failure)).isFalse();
    }
}
