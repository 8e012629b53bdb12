package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS served directly from PEM files, as an operator without an ingress sets it: certificates made with the JDK's
 * keytool, written as PEM, named by MCP_TLS_CERT_FILE and MCP_TLS_KEY_FILE; a renewed pair is served without a
 * restart, and a bad pair stops the start naming the file.
 */
class TlsIT {

    @TempDir
    Path dir;

    record Pem(Path cert, Path key, X509Certificate certificate) {
    }

    /** A self-signed certificate for 127.0.0.1 by keytool, then as PEM files (what cert-manager writes). */
    Pem make(String name, String algorithm) throws Exception {
        Path store = dir.resolve(name + ".p12");
        Path keytool = Path.of(MosProcess.javaBin()).resolveSibling("keytool");
        List<String> cmd = new java.util.ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-alias", "k",
                "-keyalg", algorithm, "-dname", "CN=" + name, "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit"));
        if (algorithm.equals("EC")) {
            cmd.addAll(List.of("-groupname", "secp256r1"));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        Key key = ks.getKey("k", "changeit".toCharArray());
        Certificate cert = ks.getCertificate("k");
        Path certFile = dir.resolve(name + ".crt");
        Path keyFile = dir.resolve(name + ".key");
        Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
        return new Pem(certFile, keyFile, (X509Certificate) cert);
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    static HttpClient trusting(X509Certificate... certs) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < certs.length; i++) {
            trust.setCertificateEntry("c" + i, certs[i]);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void servesHttpsFromPemFilesAndARenewedCertificateWithoutARestart() throws Exception {
        Pem first = make("mos-test-1", "EC");
        Pem second = make("mos-test-2", "RSA");
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        Files.copy(first.cert(), cert);
        Files.copy(first.key(), key);
        try (MosProcess mos = MosProcess.serve(Map.of("MCP_TLS_CERT_FILE", cert.toString(),
                "MCP_TLS_KEY_FILE", key.toString(), "MCP_AUTH_TOKEN", "tls-token"))) {
            assertThat(mos.stderrText()).contains("MOS listening on https://127.0.0.1:");
            String base = "https://127.0.0.1:" + mos.port();
            HttpResponse<String> health = trusting(first.certificate(), second.certificate()).send(
                    HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(served(health)).isEqualTo("CN=mos-test-1");

            HttpResponse<String> login = trusting(first.certificate()).send(HttpRequest.newBuilder(
                    URI.create(base + "/auth/login")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"token\": \"tls-token\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
            assertThat(login.headers().firstValue("Set-Cookie").orElseThrow()).contains("; Secure");

            // renewal: the key first, then the certificate, as a secret mount may update them one by one
            Files.copy(second.key(), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(second.cert(), cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            String subject = null;
            for (int i = 0; i < 150 && !"CN=mos-test-2".equals(subject); i++) {
                Thread.sleep(100);
                subject = served(trusting(first.certificate(), second.certificate()).send(HttpRequest.newBuilder(
                        URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString()));
            }
            assertThat(subject).as("the renewed certificate is served within a few seconds").isEqualTo("CN=mos-test-2");
            assertThat(mos.stderrText()).contains("TLS certificate re-read");
        }
    }

    private static String served(HttpResponse<?> response) throws Exception {
        return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0])
                .getSubjectX500Principal().getName();
    }

    @Test
    void aBadPairStopsTheStartNamingTheFile() throws Exception {
        Pem good = make("mos-test-3", "EC");
        Path pkcs1 = dir.resolve("rsa.key");
        Files.writeString(pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
        MosProcess p = MosProcess.start(Map.of("MCP_TLS_CERT_FILE", good.cert().toString(),
                "MCP_TLS_KEY_FILE", pkcs1.toString()), "serve", "--port", "0");
        try {
            assertThat(p.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.process.exitValue()).isEqualTo(1);
            assertThat(p.stderrText()).contains(pkcs1.toString(), "PKCS#8", "openssl pkcs8").doesNotContain("\tat ");
        } finally {
            p.close();
        }
        MosProcess half = MosProcess.start(Map.of("MCP_TLS_CERT_FILE", good.cert().toString()), "serve", "--port", "0");
        try {
            assertThat(half.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(half.process.exitValue()).isNotZero();
            assertThat(half.stderrText()).contains("server.tls.keyFile (MCP_TLS_KEY_FILE)");
        } finally {
            half.close();
        }
    }
}
