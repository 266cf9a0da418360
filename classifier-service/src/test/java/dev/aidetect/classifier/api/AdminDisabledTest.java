package dev.aidetect.classifier.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.aidetect.classifier.InMemoryClassifierResource;

/** With no admin token configured, admin endpoints are refused outright, whatever is sent. */
@QuarkusTest
@WithTestResource(InMemoryClassifierResource.class)
class AdminDisabledTest {
    @Test
    void refusesEveryReloadWith403SayingHowToEnableThem() {
        given().auth().oauth2("anything-at-all-0123456789").post("/models/detection-head/reload").then()
                .statusCode(403)
                .body("message", startsWith("admin endpoints are disabled: set aidetect.admin.token-file (env "
                        + "AIDETECT_ADMIN_TOKEN_FILE) or env AIDETECT_ADMIN_TOKEN"));
        given().get("/models").then().statusCode(200);
    }
}
