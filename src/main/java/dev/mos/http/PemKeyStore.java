package dev.mos.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A key store in memory from the PEM files operators have (what cert-manager and Let's Encrypt write): the
 * certificate chain ({@code server.tls.certFile}) and its unencrypted PKCS#8 private key ({@code keyFile}, RSA or
 * EC). Every problem names the file and what to do.
 */
final class PemKeyStore {

    static final char[] PASSWORD = "mos".toCharArray(); // of the in-memory store only, never on disk
    private static final Pattern KEY = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private PemKeyStore() {
    }

    static KeyStore load(Path certFile, Path keyFile) {
        Certificate[] chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile, chain[0].getPublicKey().getAlgorithm());
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("mos", key, PASSWORD, chain);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("server.tls: the key in " + keyFile + " does not fit the certificate in "
                    + certFile + ": " + e.getMessage());
        }
    }

    private static Certificate[] certificates(Path file) {
        byte[] bytes = read(file, "server.tls.certFile");
        try {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes));
            if (certs.isEmpty()) {
                throw new CertificateException("no certificate in it");
            }
            return certs.toArray(Certificate[]::new);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("server.tls.certFile " + file + " is not a PEM certificate chain ("
                    + "-----BEGIN CERTIFICATE-----): " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(Path file, String algorithm) {
        String text = new String(read(file, "server.tls.keyFile"), StandardCharsets.US_ASCII);
        Matcher m = KEY.matcher(text);
        if (!m.find()) {
            String hint = text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY")
                    ? " (it is PKCS#1/SEC1: convert it with `openssl pkcs8 -topk8 -nocrypt -in key.pem -out key8.pem`)"
                    : text.contains("ENCRYPTED") ? " (it is encrypted: give an unencrypted key, kept in a Secret)" : "";
            throw new IllegalArgumentException("server.tls.keyFile " + file
                    + " holds no unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----)" + hint);
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(m.group(1));
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("server.tls.keyFile " + file + " is not a " + algorithm
                    + " key for the certificate: " + e.getMessage());
        }
    }

    private static byte[] read(Path file, String key) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(key + " " + file + " cannot be read: " + e.getMessage());
        }
    }
}
