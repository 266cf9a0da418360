package dev.aidetect.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.aidetect.common.AccessToken.Refusal;
import dev.aidetect.common.AccessToken.WhenUnset;

class AccessTokenTest {
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final String FILE_SETTING = "aidetect.admin.token-file (env AIDETECT_ADMIN_TOKEN_FILE)";

    @TempDir
    Path dir;

    private static AccessToken admin(Optional<Path> file, Optional<String> value) {
        return AccessToken.configure("admin endpoints", WhenUnset.REFUSE, file, value, FILE_SETTING,
                "AIDETECT_ADMIN_TOKEN");
    }

    @Test
    void letsTheRightBearerTokenThroughAndRefusesAMissingOrWrongOneWith401() throws Exception {
        // given: the token in a file, with the newline `echo` leaves
        Path file = Files.writeString(dir.resolve("admin-token"), TOKEN + "\n");
        AccessToken token = admin(Optional.of(file), Optional.empty());

        // then
        assertThat(token.check("Bearer " + TOKEN)).isEmpty();
        assertThat(token.check("bearer  " + TOKEN + " ")).as("scheme case and spaces").isEmpty();
        assertThat(token.check(null)).hasValueSatisfying(refusal -> {
            assertThat(refusal.status()).isEqualTo(401);
            assertThat(refusal.message()).contains("need a token", "Authorization: Bearer", "AIDETECT_ADMIN_TOKEN");
        });
        assertThat(token.check("Bearer " + TOKEN + "0")).map(Refusal::status).contains(401);
        assertThat(token.check("Bearer " + TOKEN.substring(1))).map(Refusal::message)
                .hasValueSatisfying(message -> assertThat(message).contains("is wrong").doesNotContain(TOKEN));
        assertThat(token.check("Basic " + TOKEN)).map(Refusal::message)
                .hasValueSatisfying(message -> assertThat(message).contains("another scheme"));
        assertThat(token.describe()).contains(file.toString()).doesNotContain(TOKEN);
    }

    @Test
    void refusesEveryRequestWith403WhenNoTokenIsSetForAdminEndpoints() {
        AccessToken token = admin(Optional.empty(), Optional.of("  "));

        assertThat(token.configured()).isFalse();
        assertThat(token.check("Bearer " + TOKEN)).hasValueSatisfying(refusal -> {
            assertThat(refusal.status()).isEqualTo(403);
            assertThat(refusal.message()).startsWith("admin endpoints are disabled: set " + FILE_SETTING
                    + " or AIDETECT_ADMIN_TOKEN");
        });
    }

    @Test
    void letsEveryRequestThroughWhenNoTokenIsSetForOpenEndpoints() {
        AccessToken token = AccessToken.configure("uploads", WhenUnset.OPEN, Optional.empty(), Optional.empty(),
                "f", "V");

        assertThat(token.check(null)).isEmpty();
        assertThat(token.describe()).contains("open");
    }

    @Test
    void takesTheTokenFromTheEnvironmentValue() {
        AccessToken token = admin(Optional.empty(), Optional.of(TOKEN));

        assertThat(token.check("Bearer " + TOKEN)).isEmpty();
        assertThat(token.source()).contains("AIDETECT_ADMIN_TOKEN");
    }

    @Test
    void refusesToStartWithAShortTokenBothSourcesOrAnUnreadableFile() throws Exception {
        Path shortFile = Files.writeString(dir.resolve("short"), "secret");

        assertThatThrownBy(() -> admin(Optional.of(shortFile), Optional.empty()))
                .hasMessageContaining("6 characters long; use at least 16").hasMessageNotContaining("secret\"");
        assertThatThrownBy(() -> admin(Optional.of(shortFile), Optional.of(TOKEN)))
                .hasMessageContaining("both").hasMessageContaining("set one");
        assertThatThrownBy(() -> admin(Optional.of(dir.resolve("absent")), Optional.empty()))
                .hasMessageContaining("cannot read the token file").hasMessageContaining("openssl rand -hex 32");
    }
}
