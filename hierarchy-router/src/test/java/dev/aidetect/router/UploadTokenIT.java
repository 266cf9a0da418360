package dev.aidetect.router;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import dev.aidetect.kafka.KafkaBrokerTestResource;

/**
 * A router with an upload token ({@code AIDETECT_ROUTER_UPLOAD_TOKEN}) takes {@code POST /images} only with
 * {@code Authorization: Bearer <token>}: 401 saying what is missing or wrong otherwise, before the upload limit is
 * looked at; reads stay open.
 */
@QuarkusTest
@TestProfile(UploadTokenIT.WithUploadToken.class)
class UploadTokenIT {
    static final String TOKEN = "upload-token-for-tests-0123456789";

    public static class WithUploadToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("aidetect.router.upload-token", TOKEN);
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KafkaBrokerTestResource.class));
        }
    }

    private static final Map<String, String> BY_URI = Map.of("uri", "https://images.example.com/a/fox.jpg");

    @Test
    void refusesAnUploadWithoutTheTokenOrWithAWrongOne() {
        given().contentType(ContentType.JSON).body(BY_URI).when().post("/images").then()
                .statusCode(401).contentType(ContentType.JSON)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("message", containsString("uploads (POST /images) need a token"))
                .body("message", containsString("AIDETECT_ROUTER_UPLOAD_TOKEN"));
        given().auth().oauth2(TOKEN + "-not").contentType(ContentType.JSON).body(BY_URI).when().post("/images")
                .then().statusCode(401).body("message", containsString("is wrong"));
    }

    @Test
    void asksForTheTokenBeforeLookingAtTheSize() {
        given().contentType("image/jpeg").body(new byte[300 << 10]).queryParam("filename", "big.jpg").when()
                .post("/images").then().statusCode(401).body("message", not(containsString("MiB")));
    }

    @Test
    void takesAnUploadWithTheTokenAndLeavesReadsOpen() {
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(BY_URI).when().post("/images").then()
                .statusCode(202);
        given().when().get("/").then().statusCode(200);
        given().when().get("/verdicts/no-such-image").then().statusCode(not(401));
    }
}
