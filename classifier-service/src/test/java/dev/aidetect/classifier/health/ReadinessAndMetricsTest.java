package dev.aidetect.classifier.health;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

import dev.aidetect.classifier.InMemoryClassifierResource;
import dev.aidetect.classifier.Records;
import dev.aidetect.classifier.TrainedModels;
import dev.aidetect.classifier.messaging.Channels;

@QuarkusTest
@WithTestResource(InMemoryClassifierResource.class)
class ReadinessAndMetricsTest {
    @Inject
    @Any
    InMemoryConnector connector;

    @Test
    void isReadyOnceEveryConfiguredModelHasLoadedAndNamesEachModel() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200)
                .body("checks.find { it.name == 'classifier models' }.status", startsWith("UP"))
                .body("checks.find { it.name == 'classifier models' }.data.'detection head'",
                        startsWith("LOADED: detection-logistic-regression version "))
                .body("checks.find { it.name == 'classifier models' }.data.'gan attribution network'",
                        containsString("attribution-gan-resnet18")));
    }

    @Test
    void countsVerdictsAndRejectionsByStageDecisionAndReason() {
        float[] fake = TrainedModels.vectors(List.of("REAL", "FAKE"), 5).vectors().get(1);
        connector.source(Channels.EMBEDDED).send(Records.consumed(Channels.EMBEDDED, "metrics-fake",
                Records.embedding("metrics-fake", TrainedModels.ENCODER, fake)));
        connector.source(Channels.EMBEDDED).send(Records.consumed(Channels.EMBEDDED, "metrics-bad", new byte[]{0}));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("aidetect_classifier_verdicts_total{decision=\"FAKE\",model="
                        + "\"detection-logistic-regression\",stage=\"DETECTION\",version=\""))
                .body(containsString("aidetect_classifier_rejections_total{reason=\"BAD_RECORD\",stage=\"DETECTION\"}"))
                .body(containsString(
                        "aidetect_classifier_inference_seconds_count{model=\"detection-logistic-regression\""
                                + ",stage=\"DETECTION\"}")));
    }
}
