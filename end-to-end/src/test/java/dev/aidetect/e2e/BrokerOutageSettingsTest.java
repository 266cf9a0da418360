package dev.aidetect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every SmallRye Kafka input channel of the services waits out a broker outage of minutes (issue 16): Kafka's default
 * {@code default.api.timeout.ms} of 60 s stopped the classifier's {@code images.embedded} channel for good after the
 * broker was gone for a minute ({@link KafkaOutageIT} shows it on a real broker; this check fails at once when a
 * setting is dropped or a new channel lacks it). Read from each service's {@code application.properties}: the
 * channel's own setting, else the connector's.
 */
class BrokerOutageSettingsTest {
    private static final Path ROOT = Path.of(System.getProperty("aidetect.project.root", "..")).toAbsolutePath();
    private static final Pattern INCOMING = Pattern.compile("mp\\.messaging\\.incoming\\.\"([^\"]+)\"\\.connector");
    private static final Duration LEAST_WAIT = Duration.ofMinutes(10);

    @ParameterizedTest
    @ValueSource(strings = {"embedder-service", "classifier-service", "hierarchy-router"})
    void everyIncomingChannelWaitsMinutesForTheBrokerAndRetriesFailedPolls(String service) throws IOException {
        // given the service's settings
        Properties settings = new Properties();
        try (Reader in = Files
                .newBufferedReader(ROOT.resolve(service + "/src/main/resources/application.properties"))) {
            settings.load(in);
        }

        // when each of its SmallRye Kafka input channels is looked at
        List<String> channels = new ArrayList<>();
        for (String key : settings.stringPropertyNames()) {
            Matcher incoming = INCOMING.matcher(key);
            if (incoming.matches() && "smallrye-kafka".equals(settings.getProperty(key))) {
                channels.add(incoming.group(1));
            }
        }

        // then each waits at least 10 minutes on a blocking call and retries a failed poll without end
        assertThat(channels).as(service + "'s Kafka input channels").isNotEmpty();
        for (String channel : channels) {
            assertThat(Long.parseLong(effective(settings, channel, "default.api.timeout.ms", "60000")))
                    .as("%s: default.api.timeout.ms of channel %s (set it on the channel or the connector)", service,
                            channel)
                    .isGreaterThanOrEqualTo(LEAST_WAIT.toMillis());
            assertThat(effective(settings, channel, "retry", "true")).as("%s: retry of %s", service, channel)
                    .isEqualTo("true");
            assertThat(effective(settings, channel, "retry-attempts", "-1"))
                    .as("%s: retry-attempts of %s (-1: without end)", service, channel).isEqualTo("-1");
        }
    }

    /** The channel's own value, else the connector's, else SmallRye's or Kafka's default. */
    private static String effective(Properties settings, String channel, String attribute, String fallback) {
        String own = settings.getProperty("mp.messaging.incoming.\"" + channel + "\"." + attribute);
        return own != null
                ? own
                : settings.getProperty("mp.messaging.connector.smallrye-kafka." + attribute, fallback);
    }
}
