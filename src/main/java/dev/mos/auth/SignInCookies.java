package dev.mos.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The dashboard's sign-in: a browser exchanges a token for a cookie it cannot read from script, so no token sits in
 * a URL or in browser storage. The cookie is signed, not stored: {@code v1.<name>.<expiry>.<HMAC>} over the name,
 * the expiry and the token's current digest, so every replica that shares the key accepts it, it ends at its
 * expiry, and it dies with its token (revoked or rotated in the tokens file).
 */
public final class SignInCookies {

    public static final String NAME = "mos_session";

    private final Tokens tokens;
    private final byte[] key;
    private final Duration ttl;
    private final Clock clock;

    /** A verified cookie: who, and until when. */
    public record SignIn(Caller caller, long expiresAtMs) {
    }

    /**
     * @param secret the signing key shared by replicas ({@code server.cookieSecret}), or null for a random one:
     *     sign-ins then end with the process and hold on this replica only
     */
    public SignInCookies(Tokens tokens, String secret, Duration ttl, Clock clock) {
        this.tokens = tokens;
        this.key = secret == null ? random() : secret.getBytes(StandardCharsets.UTF_8);
        this.ttl = ttl;
        this.clock = clock;
    }

    private static byte[] random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    public Duration ttl() {
        return ttl;
    }

    /** A new cookie for this caller: its value and what it grants; empty when the token is no longer configured. */
    public Optional<Issued> issue(Caller caller) {
        return tokens.named(caller.name()).map(entry -> {
            long expires = clock.millis() + ttl.toMillis();
            String name = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    entry.name().getBytes(StandardCharsets.UTF_8));
            return new Issued("v1." + name + "." + expires + "." + mac(entry, expires),
                    new SignIn(entry.caller(), expires));
        });
    }

    public record Issued(String value, SignIn signIn) {
    }

    public Optional<SignIn> verify(String value) {
        String[] parts = value.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("v1")) {
            return Optional.empty();
        }
        String name;
        long expires;
        try {
            name = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            expires = Long.parseLong(parts[2]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (expires <= clock.millis()) {
            return Optional.empty();
        }
        return tokens.named(name)
                .filter(entry -> MessageDigest.isEqual(mac(entry, expires).getBytes(StandardCharsets.US_ASCII),
                        parts[3].getBytes(StandardCharsets.US_ASCII)))
                .map(entry -> new SignIn(entry.caller(), expires));
    }

    private String mac(TokenEntry entry, long expires) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            String signed = "v1\n" + entry.name() + "\n" + expires + "\n" + HexFormat.of().formatHex(entry.sha256());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    hmac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
