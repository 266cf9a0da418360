package dev.aidetect.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.aidetect.kafka.KafkaEndpoint;

/** The question every Kafka command asks first: does a broker answer at the address given? */
class KafkaReachabilityIT {
    @Test
    void aRunningBrokerAnswersWithItsBrokerCount() {
        KafkaReachability.Answer answer = KafkaReachability.ask(KafkaEndpoint.bootstrapServers(),
                Duration.ofSeconds(10));

        assertThat(answer.reachable()).isTrue();
        assertThat(answer.brokers()).isPositive();
        assertThat(answer.problem()).isNull();
        assertThat(KafkaReachability.require(KafkaEndpoint.bootstrapServers(), Duration.ofSeconds(10), "--bootstrap"))
                .isEqualTo(KafkaEndpoint.bootstrapServers());
    }

    @Test
    void anAddressWithoutAPortIsNotReachableAndSaysWhy() {
        KafkaReachability.Answer answer = KafkaReachability.ask("localhost", Duration.ofSeconds(2));

        assertThat(answer.reachable()).isFalse();
        assertThat(answer.problem()).containsIgnoringCase("localhost");
    }

    @Test
    void requireNamesTheAddressTheOptionAndWhatToDo() {
        assertThatThrownBy(() -> KafkaReachability.require("localhost", Duration.ofSeconds(2), "--bootstrap-servers"))
                .isInstanceOf(CommandFailure.class)
                .hasMessageStartingWith("no Kafka broker answers at localhost (")
                .hasMessageContaining("point --bootstrap-servers (or KAFKA_BOOTSTRAP_SERVERS) at a running cluster");
    }
}
