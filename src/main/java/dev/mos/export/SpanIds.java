package dev.mos.export;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic OTLP ids: a hash of the session id and the operation id. The same operation exported again (after a
 * restart, or by another replica reading the same store) gets the same ids, so a backend sees one span, not two
 * that differ. Trace ids are per top-level operation (a prompt's task, or a lone root operation).
 */
public final class SpanIds {

    private static final HexFormat HEX = HexFormat.of();

    private SpanIds() {
    }

    /** 16 hex characters, never all zero. */
    public static String spanId(String sessionId, String operationId) {
        return hex(digest("mos-span", sessionId, operationId), 8);
    }

    /** 32 hex characters, never all zero. */
    public static String traceId(String sessionId, String rootOperationId) {
        return hex(digest("mos-trace", sessionId, rootOperationId), 16);
    }

    private static byte[] digest(String domain, String sessionId, String operationId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(domain.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(sessionId.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(operationId.getBytes(StandardCharsets.UTF_8));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String hex(byte[] digest, int bytes) {
        boolean zero = true;
        for (int i = 0; i < bytes; i++) {
            zero &= digest[i] == 0;
        }
        if (zero) {
            digest[bytes - 1] = 1; // all-zero ids are invalid in OTLP
        }
        return HEX.formatHex(digest, 0, bytes);
    }
}
