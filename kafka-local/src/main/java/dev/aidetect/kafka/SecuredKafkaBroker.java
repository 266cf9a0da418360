package dev.aidetect.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;

import dev.aidetect.common.MoreFiles;
import dev.aidetect.schemas.kafka.KafkaClientSettings;

/**
 * A single-node broker locked down as a production cluster should be, for tests: its only client listener is
 * {@code SASL_SSL} (TLS with a certificate for {@code localhost} signed by a CA made at start, see
 * {@link BrokerCertificates}; logins with {@code SCRAM-SHA-512}), its authorizer ({@code StandardAuthorizer}) denies
 * what no ACL allows ({@code allow.everyone.if.no.acl.found=false}), the only super user is {@value PipelineAcls#ADMIN}
 * (the broker itself between its listeners, topic creation, the command line), and each service logs in as its own
 * principal with {@link PipelineAcls}' grants. Every principal's password is random, made at start.
 *
 * <p>
 * The controller listener takes {@code PLAIN} logins of the admin only, on the loopback interface (SCRAM credentials
 * live in the metadata the controller serves, so a controller cannot check them itself).
 */
public final class SecuredKafkaBroker implements AutoCloseable {
    private static final String CLIENT_LISTENER = "SASL_SSL";
    private static final String MECHANISM = "SCRAM-SHA-512";

    private final LocalKafkaBroker broker;
    private final BrokerCertificates certificates;
    private final Map<String, String> passwords;
    private final Path dir;

    private SecuredKafkaBroker(LocalKafkaBroker broker, BrokerCertificates certificates, Map<String, String> passwords,
            Path dir) {
        this.broker = broker;
        this.certificates = certificates;
        this.passwords = passwords;
        this.dir = dir;
    }

    /**
     * Starts a secured broker on free ports in a new temporary directory (deleted on {@link #close()}) with a SCRAM
     * login for the admin, each service of {@link PipelineAcls#SERVICES} and each of {@code usersWithoutAcls} (who may
     * log in but do nothing), and the pipeline's ACLs.
     */
    public static SecuredKafkaBroker startTemporary(String... usersWithoutAcls) {
        Path dir;
        try {
            dir = Files.createTempDirectory("aidetect-kafka-secured-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the secured test broker", e);
        }
        Map<String, String> passwords = new LinkedHashMap<>();
        passwords.put(PipelineAcls.ADMIN, newPassword());
        PipelineAcls.SERVICES.forEach(service -> passwords.put(service, newPassword()));
        for (String user : usersWithoutAcls) {
            passwords.put(user, newPassword());
        }
        BrokerCertificates certificates = BrokerCertificates.generate(dir);
        String admin = passwords.get(PipelineAcls.ADMIN);
        int clientPort = LocalKafkaBroker.freePort();
        int quorumPort = LocalKafkaBroker.freePort();
        Map<String, String> overrides = new HashMap<>();
        overrides.put("listeners",
                CLIENT_LISTENER + "://localhost:" + clientPort + ",CONTROLLER://localhost:" + quorumPort);
        overrides.put("advertised.listeners", CLIENT_LISTENER + "://localhost:" + clientPort);
        overrides.put("listener.security.protocol.map", CLIENT_LISTENER + ":SASL_SSL,CONTROLLER:SASL_PLAINTEXT");
        overrides.put("inter.broker.listener.name", CLIENT_LISTENER);
        overrides.put("sasl.enabled.mechanisms", MECHANISM);
        overrides.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        overrides.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", scramJaas(PipelineAcls.ADMIN, admin));
        overrides.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        overrides.put("sasl.mechanism.controller.protocol", "PLAIN");
        overrides.put("listener.name.controller.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + PipelineAcls.ADMIN
                        + "\" password=\"" + admin + "\" user_" + PipelineAcls.ADMIN + "=\"" + admin + "\";");
        overrides.put("ssl.keystore.type", "PKCS12");
        overrides.put("ssl.keystore.location", certificates.keystore().toString());
        overrides.put("ssl.keystore.password", certificates.password());
        overrides.put("ssl.key.password", certificates.password());
        overrides.put("ssl.truststore.type", "PKCS12");
        overrides.put("ssl.truststore.location", certificates.truststore().toString());
        overrides.put("ssl.truststore.password", certificates.password());
        overrides.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        overrides.put("allow.everyone.if.no.acl.found", "false");
        overrides.put("super.users", "User:" + PipelineAcls.ADMIN);
        List<String> scram = new ArrayList<>();
        passwords.forEach((user, password) -> scram.add(MECHANISM + "=[name=" + user + ",password=" + password + "]"));
        LocalKafkaBroker broker = LocalKafkaBroker.start(dir.resolve("data"), clientPort, quorumPort, overrides, scram,
                false);
        SecuredKafkaBroker secured = new SecuredKafkaBroker(broker, certificates, Map.copyOf(passwords), dir);
        try (Admin client = Admin.create(secured.adminSettings().admin(Map.of()))) {
            PipelineAcls.apply(client);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            secured.close();
            throw new IllegalStateException("interrupted while creating the pipeline's ACLs", e);
        } catch (RuntimeException e) {
            secured.close();
            throw e;
        }
        return secured;
    }

    /** host:port of the {@code SASL_SSL} listener. */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /**
     * The Kafka client settings that log in as {@code user} (a Kafka client {@code .properties} file's entries,
     * {@code bootstrap.servers} included).
     */
    public Map<String, String> clientSettings(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException(
                    "no user " + user + " on this broker; its users are " + passwords.keySet());
        }
        return clientSettings(user, password);
    }

    /** The Kafka client settings that try to log in as {@code user} with {@code password}, right or wrong. */
    public Map<String, String> clientSettings(String user, String password) {
        Map<String, String> settings = new TreeMap<>();
        settings.put("bootstrap.servers", bootstrapServers());
        settings.put("security.protocol", CLIENT_LISTENER);
        settings.put("sasl.mechanism", MECHANISM);
        settings.put("sasl.jaas.config", scramJaas(user, password));
        settings.put("ssl.truststore.type", "PKCS12");
        settings.put("ssl.truststore.location", certificates.truststore().toString());
        settings.put("ssl.truststore.password", certificates.password());
        return settings;
    }

    /** The admin's (super user's) settings, for clients made in code. */
    public KafkaClientSettings adminSettings() {
        return KafkaClientSettings.of(bootstrapServers(), clientSettings(PipelineAcls.ADMIN));
    }

    /** Writes {@link #clientSettings(String)} of {@code user} as a Kafka client {@code .properties} file. */
    public Path writeClientConfig(String user, Path file) {
        String lines = clientSettings(user).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
        try {
            return Files.writeString(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the client settings of " + user + " to " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            broker.close();
        } finally {
            MoreFiles.deleteRecursively(dir);
        }
    }

    private static String scramJaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    private static String newPassword() {
        return BrokerCertificates.randomHex(16);
    }
}
