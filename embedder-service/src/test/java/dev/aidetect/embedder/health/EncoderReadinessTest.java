package dev.aidetect.embedder.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.aidetect.embedder.messaging.InMemoryChannelConfig;
import dev.aidetect.kafka.KafkaBrokerTestResource;

/** A service whose encoder does not load stays up but not ready, and says why. */
@QuarkusTest
@TestProfile(EncoderReadinessTest.MissingEncoder.class)
class EncoderReadinessTest {

    public static class MissingEncoder implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = InMemoryChannelConfig.overrides();
            config.put("aidetect.embedder.encoder-manifest", "target/no-such-encoder/manifest.json");
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KafkaBrokerTestResource.class));
        }
    }

    @Test
    void reportsNotReadyWithTheLoadErrorWhenTheEncoderIsMissing() {
        given().get("/q/health/ready").then()
                .statusCode(503)
                .body("checks.name", hasItem("encoder"))
                .body("checks.find { it.name == 'encoder' }.status", is("DOWN"))
                .body("checks.find { it.name == 'encoder' }.data.error",
                        containsString("no-such-encoder/manifest.json"));
    }
}
