package io.breakwater.transport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made once per test run with the
 * JDK's {@code keytool} (the JDK has no public API to create certificates), and TLS contexts around it.
 * Public so that the tests of other packages (the client container's {@code wss://} tests) use it too.
 */
public final class TestTls {

    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final String ALIAS = "breakwater-test";
    private static KeyStore keyStore;

    private TestTls() {
    }

    /** A server context presenting the test certificate. Skips the test if keytool is not available. */
    public static SSLContext serverContext() throws GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore(), PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /** A client context trusting the test certificate only. */
    public static SSLContext clientContext() throws GeneralSecurityException, IOException {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        Certificate certificate = keyStore().getCertificate(ALIAS);
        trusted.setCertificateEntry(ALIAS, certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static synchronized KeyStore keyStore() {
        if (keyStore == null) {
            keyStore = generate();
        }
        return keyStore;
    }

    private static KeyStore generate() {
        Path bin = Path.of(System.getProperty("java.home"), "bin");
        Path keytool = bin.resolve("keytool");
        if (!Files.isExecutable(keytool)) {
            keytool = bin.resolve("keytool.exe");
        }
        assumeTrue(Files.isExecutable(keytool), "keytool not found in " + bin);
        try {
            Path dir = Files.createTempDirectory("breakwater-tls");
            Path file = dir.resolve("test.p12");
            Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-noprompt",
                    "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", file.toString(),
                    "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                store.load(in, PASSWORD);
            }
            Files.delete(file);
            Files.delete(dir);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the test certificate", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
