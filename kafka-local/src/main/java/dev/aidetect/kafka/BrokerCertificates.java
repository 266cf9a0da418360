package dev.aidetect.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority and a broker key pair for {@code localhost}, made with the JDK's {@code keytool} in a
 * directory: {@code broker.p12} (the broker's PKCS12 keystore: its key and the certificate the CA signed, with
 * {@code localhost} and {@code 127.0.0.1} as subject alternative names, so clients verify the host name) and
 * {@code truststore.p12} (the CA's certificate: what a client trusts). The CA's own key is deleted once it has signed.
 * Made at test time, valid for a week, never committed.
 *
 * @param keystore the broker's keystore
 * @param truststore the clients' (and the broker's) truststore
 * @param password the password of both stores and of the broker's key
 */
public record BrokerCertificates(Path keystore, Path truststore, String password) {
    private static final String VALIDITY_DAYS = "7";

    /** Makes a new CA and a broker key pair signed by it in {@code dir}. */
    public static BrokerCertificates generate(Path dir) {
        String password = randomHex(12);
        Path caPem = dir.resolve("ca.pem");
        Path keystore = dir.resolve("broker.p12");
        Path truststore = dir.resolve("truststore.p12");
        // Five keytool runs (each a JVM start): the CA is made in the broker's keystore, signs the broker's key there
        // (-signer), leaves its certificate for the truststore, and is deleted, so the broker has one key to offer.
        keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=aidetect local test CA", "-ext", "bc:c", "-validity", VALIDITY_DAYS, "-keystore",
                keystore.toString(), "-storetype", "PKCS12", "-storepass", password);
        keytool(dir, "-genkeypair", "-alias", "broker", "-signer", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-validity", VALIDITY_DAYS, "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-ext",
                "KU=digitalSignature", "-ext", "EKU=serverAuth,clientAuth", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", password);
        keytool(dir, "-exportcert", "-rfc", "-alias", "ca", "-keystore", keystore.toString(), "-storepass", password,
                "-file", caPem.toString());
        keytool(dir, "-delete", "-alias", "ca", "-keystore", keystore.toString(), "-storepass", password);
        keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore",
                truststore.toString(), "-storetype", "PKCS12", "-storepass", password);
        return new BrokerCertificates(keystore, truststore, password);
    }

    private static void keytool(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Path output = dir.resolve("keytool.out");
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " did not finish within 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed (exit " + process.exitValue() + "): "
                        + Files.readString(output, StandardCharsets.UTF_8).strip()
                        + "; it is the JDK's, in " + command.get(0));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0) + " to make the test broker's certificates"
                    + " (a JDK, not a JRE, has it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the test broker's certificates", e);
        }
    }

    /** {@code bytes} random bytes in hex: passwords of stores and test users. */
    static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
