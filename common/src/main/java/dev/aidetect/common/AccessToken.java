package dev.aidetect.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;

/**
 * A bearer token that guards some HTTP endpoints (the classifier's admin endpoints, the router's uploads), read from a
 * secret: a file (a Kubernetes Secret, a Docker secret, the local run's generated file) or an environment variable,
 * never from a file in the repository. {@link #check} decides a request by its {@code Authorization} header, comparing
 * in constant time (both sides hashed, then {@link MessageDigest#isEqual}: neither the content nor the length of the
 * token leaks through the time an answer takes). What an unset token means is the caller's: admin endpoints are then
 * refused ({@link WhenUnset#REFUSE}), uploads are open ({@link WhenUnset#OPEN}).
 */
public final class AccessToken {
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    /** Shorter tokens are refused at start-up: they can be guessed. */
    public static final int MIN_LENGTH = 16;
    /** How to make a good one, for the messages. */
    public static final String HOW_TO_MAKE = "openssl rand -hex 32";

    /** What the endpoints do when no token is configured. */
    public enum WhenUnset {
        /** Every request is refused (403): nothing may use them until a token is set. */
        REFUSE,
        /** Every request is let through: the endpoints are open. */
        OPEN
    }

    /**
     * A refused request: the HTTP status (401 without or with a wrong token, 403 when the endpoints are disabled) and
     * a message saying what to do.
     */
    public record Refusal(int status, String message) {
    }

    private final String guarded;
    private final String settings;
    private final WhenUnset whenUnset;
    private final byte[] digest;
    private final String source;

    private AccessToken(String guarded, String settings, WhenUnset whenUnset, byte[] digest, String source) {
        this.guarded = guarded;
        this.settings = settings;
        this.whenUnset = whenUnset;
        this.digest = digest;
        this.source = source;
    }

    /**
     * The token from {@code file} or {@code value}, whichever is set (both set is a mistake and refused).
     *
     * @param guarded what the token guards, for messages ("the classifier's admin endpoints")
     * @param fileSetting the setting that names the file, with its environment variable ("aidetect.admin.token-file
     *        (env AIDETECT_ADMIN_TOKEN_FILE)")
     * @param valueSetting the environment variable that holds the token itself ("AIDETECT_ADMIN_TOKEN")
     * @throws IllegalArgumentException when both are set, the file cannot be read, or the token is too short
     */
    public static AccessToken configure(String guarded, WhenUnset whenUnset, Optional<Path> file,
            Optional<String> value, String fileSetting, String valueSetting) {
        String settings = fileSetting + " or " + valueSetting;
        Optional<String> givenValue = value.map(String::strip).filter(v -> !v.isEmpty());
        if (file.isPresent() && givenValue.isPresent()) {
            throw new IllegalArgumentException("both " + fileSetting + " and " + valueSetting + " are set for "
                    + guarded + "; set one");
        }
        if (file.isPresent()) {
            return new AccessToken(guarded, settings, whenUnset, checked(read(file.get(), fileSetting), guarded,
                    "the file " + file.get() + " (" + fileSetting + ")"), "the file " + file.get());
        }
        if (givenValue.isPresent()) {
            return new AccessToken(guarded, settings, whenUnset, checked(givenValue.get(), guarded, valueSetting),
                    valueSetting);
        }
        return new AccessToken(guarded, settings, whenUnset, null, null);
    }

    private static String read(Path file, String fileSetting) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the token file " + file + " (" + fileSetting + "): " + e
                    + "; write the token into it (" + HOW_TO_MAKE + " > " + file + ") or unset the setting", e);
        }
    }

    private static byte[] checked(String token, String guarded, String where) {
        if (token.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("the token for " + guarded + " in " + where + " is "
                    + token.length() + " characters long; use at least " + MIN_LENGTH + " (" + HOW_TO_MAKE + ")");
        }
        return hash(token);
    }

    /** Whether a token is configured. */
    public boolean configured() {
        return digest != null;
    }

    /** Where the token came from ("the file /run/secrets/admin-token", "AIDETECT_ADMIN_TOKEN"), or empty. */
    public Optional<String> source() {
        return Optional.ofNullable(source);
    }

    /** One line for the start-up log: whether the endpoints are guarded, and by what (never the token). */
    public String describe() {
        if (configured()) {
            return guarded + " take a bearer token (from " + source + ")";
        }
        return whenUnset == WhenUnset.REFUSE
                ? guarded + " are disabled: no token is set (" + settings + ")"
                : guarded + " are open: no token is set (" + settings + " guards them)";
    }

    /**
     * Decides an HTTP request: one that only reads (GET, HEAD, OPTIONS) passes, any other is decided by its
     * {@code Authorization} header ({@link #check(String)}). Guarding by method rather than by a list of paths means an
     * endpoint added later is guarded too.
     *
     * @return the refusal, or empty to let the request through
     */
    public Optional<Refusal> checkRequest(String method, String authorization) {
        return READS.contains(method) ? Optional.empty() : check(authorization);
    }

    /**
     * Decides a request by its {@code Authorization} header.
     *
     * @param authorization the header's value, or {@code null} when absent
     * @return the refusal, or empty to let the request through
     */
    public Optional<Refusal> check(String authorization) {
        if (!configured()) {
            return whenUnset == WhenUnset.OPEN
                    ? Optional.empty()
                    : Optional.of(new Refusal(403, guarded + " are disabled: set " + settings + " (a secret of at "
                            + "least " + MIN_LENGTH + " characters, e.g. " + HOW_TO_MAKE + ") and restart, then send "
                            + "'Authorization: Bearer <token>'"));
        }
        if (authorization == null || authorization.isBlank()) {
            return Optional.of(new Refusal(401, guarded + " need a token: send 'Authorization: Bearer <token>' with "
                    + "the token from " + settings));
        }
        String given = authorization.strip();
        if (given.length() < 7 || !given.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(new Refusal(401, guarded + " take a bearer token: the Authorization header must be "
                    + "'Bearer <token>' (another scheme was sent)"));
        }
        if (!MessageDigest.isEqual(digest, hash(given.substring(7).strip()))) {
            return Optional.of(new Refusal(401, "the token sent for " + guarded + " is wrong: send the one from "
                    + settings));
        }
        return Optional.empty();
    }

    private static byte[] hash(String token) {
        return Sha256.digest().digest(token.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return describe(); // never the token
    }
}
