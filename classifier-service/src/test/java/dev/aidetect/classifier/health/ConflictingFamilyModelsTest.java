package dev.aidetect.classifier.health;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.aidetect.classifier.InMemoryClassifierResource;

@QuarkusTest
@WithTestResource(value = InMemoryClassifierResource.class, initArgs = @ResourceArg(name = "aidetect.classifier.family-network", value = "target/test-models/family-network"))
class ConflictingFamilyModelsTest {
    @Test
    void isNotReadyWhenBothAFamilyHeadAndAFamilyNetworkAreConfiguredAndSaysToSetOne() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(503)
                .body("status", is("DOWN"))
                .body("checks.find { it.name == 'classifier models' }.data.'family network'", allOf(
                        startsWith("FAILED: both AIDETECT_CLASSIFIER_FAMILY_HEAD and "
                                + "AIDETECT_CLASSIFIER_FAMILY_NETWORK are set"),
                        containsString("set one")))
                .body("checks.find { it.name == 'classifier models' }.data.'detection head'", startsWith("LOADED")));
    }
}
