package dev.aidetect.classifier.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.aidetect.classifier.InMemoryClassifierResource;
import dev.aidetect.classifier.TrainedModels;

/**
 * {@code POST /models/{slot}/reload} is an admin request: the bearer token from {@code aidetect.admin.token} (env
 * AIDETECT_ADMIN_TOKEN), 401 without it or with a wrong one; and its {@code ?path=} must stay under the directory of
 * the slot's configured model (400 otherwise). Reads stay open.
 */
@QuarkusTest
@WithTestResource(value = InMemoryClassifierResource.class, initArgs = @ResourceArg(name = "aidetect.admin.token", value = AdminEndpointsTest.TOKEN))
class AdminEndpointsTest {
    static final String TOKEN = "test-admin-token-0123456789abcdef";
    private static final String RELOAD = "/models/detection-head/reload";

    @Test
    void refusesAReloadWithoutTheTokenOrWithAWrongOne() {
        given().post(RELOAD).then()
                .statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("message", containsString("admin endpoints need a token: send 'Authorization: Bearer <token>'"))
                .body("message", containsString("AIDETECT_ADMIN_TOKEN"));
        given().auth().oauth2(TOKEN + "x").post(RELOAD).then()
                .statusCode(401)
                .body("message", containsString("is wrong"));
        given().header("Authorization", "Basic YWRtaW46c2VjcmV0").post(RELOAD).then()
                .statusCode(401)
                .body("message", containsString("bearer token"));
    }

    @Test
    void reloadsWithTheTokenWhileReadsNeedNone() {
        given().auth().oauth2(TOKEN).post(RELOAD).then()
                .statusCode(200)
                .body("outcome", is("UNCHANGED"));
        given().auth().oauth2(TOKEN).queryParam("path", "detection.head").post(RELOAD).then()
                .statusCode(200)
                .body("outcome", is("UNCHANGED"));
        given().get("/models").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void refusesReloadPathsOutsideTheModelDirectoryWith400() throws Exception {
        TrainedModels.config();
        Path link = Files.createSymbolicLink(TrainedModels.DIR.resolve("escape-" + UUID.randomUUID() + ".head"),
                Files.createTempFile("outside", ".head"));

        given().auth().oauth2(TOKEN).queryParam("path", "../outside.head").post(RELOAD).then()
                .statusCode(400)
                .body("message", containsString("names '..'"));
        given().auth().oauth2(TOKEN).queryParam("path", "/etc/passwd").post(RELOAD).then()
                .statusCode(400)
                .body("message", containsString("is outside the model directory"))
                .body("message", containsString("aidetect.classifier.detection-head"));
        given().auth().oauth2(TOKEN).queryParam("path", link.getFileName().toString()).post(RELOAD).then()
                .statusCode(400)
                .body("message", containsString("through a symbolic link"));
        given().get("/q/metrics").then().body(not(containsString("outcome=\"failed\"")))
                .body(not(containsString("outcome=\"refused\"")));
    }
}
