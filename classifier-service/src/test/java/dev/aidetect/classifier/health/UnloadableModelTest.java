package dev.aidetect.classifier.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

import dev.aidetect.classifier.InMemoryClassifierResource;
import dev.aidetect.classifier.Records;
import dev.aidetect.classifier.TrainedModels;
import dev.aidetect.classifier.messaging.Channels;

@QuarkusTest
@WithTestResource(value = InMemoryClassifierResource.class, initArgs = @ResourceArg(name = "aidetect.classifier.detection-head", value = "target/no-such-model.head"))
class UnloadableModelTest {
    @Inject
    @Any
    InMemoryConnector connector;

    @Test
    void readinessIsDownAndSaysWhichModelFailedAndHowToFixIt() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(503)
                .body("status", is("DOWN"))
                .body("checks.find { it.name == 'classifier models' }.data.'detection head'",
                        startsWith(
                                "FAILED: cannot load target/no-such-model.head: nothing is there; write the models first "
                                        + "(`aidetect models init --to DIR`"))
                .body("checks.find { it.name == 'classifier models' }.data.'detection head'",
                        containsString("AIDETECT_CLASSIFIER_DETECTION_HEAD"))
                .body("checks.find { it.name == 'classifier models' }.data.'family head'", startsWith("LOADED")));
    }

    @Test
    void leavesTheStageWithoutAModelUnconsumedWhileOtherStagesServe() {
        List<String> classes = List.of("gan", "diffusion");
        connector.source(Channels.EMBEDDED).send(Records.consumed(Channels.EMBEDDED, "unserved",
                Records.embedding("unserved", TrainedModels.ENCODER, new float[TrainedModels.SIZE])));
        connector.source(Channels.FAMILY_REQUESTS).send(Records.consumed(Channels.FAMILY_REQUESTS, "served",
                Records.familyRequest("served", TrainedModels.ENCODER, TrainedModels.vectors(classes, 8).vectors()
                        .getFirst())));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> !connector.sink(Channels.FAMILY_VERDICTS).received().isEmpty());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            assertThat(connector.sink(Channels.DETECTION_VERDICTS).received()).isEmpty();
            assertThat(connector.sink(Channels.REJECTED).received()).isEmpty();
        });
    }
}
