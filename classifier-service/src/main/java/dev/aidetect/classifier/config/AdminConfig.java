package dev.aidetect.classifier.config;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * The secret that guards the classifier's admin endpoints (every request that is not a GET: {@code POST
 * /models/{slot}/reload}), {@code aidetect.admin.*}. Set one of the two; with neither, admin endpoints are refused
 * (403). The name is the services' shared one: a service that gains admin endpoints takes the same settings.
 */
@ConfigMapping(prefix = "aidetect.admin")
public interface AdminConfig {
    /** The names refusals and the start-up log give. */
    String FILE_SETTING = "aidetect.admin.token-file (env AIDETECT_ADMIN_TOKEN_FILE)";
    String VALUE_SETTING = "env AIDETECT_ADMIN_TOKEN";

    /** A file holding the admin token (a mounted Secret); env AIDETECT_ADMIN_TOKEN_FILE. */
    Optional<Path> tokenFile();

    /** The admin token itself; env AIDETECT_ADMIN_TOKEN only: never write it into a properties file. */
    Optional<String> token();
}
