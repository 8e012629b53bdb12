package dev.mos.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tokens file ({@code server.tokensFile}, {@code MCP_TOKENS_FILE}): a JSON array of
 * {@code {"name": "...", "scopes": ["ingest", "read"], "sha256": "<hex digest of the token>"}}. Every problem is
 * reported with the entry's position and field, so an operator can fix the file without guessing.
 */
public final class TokensFile {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private TokensFile() {
    }

    public static List<TokenEntry> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("server.tokensFile " + file + " cannot be read: " + e.getMessage());
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("server.tokensFile " + file + " is not JSON: "
                    + e.getOriginalMessage());
        }
        return parse(root, file.toString());
    }

    static List<TokenEntry> parse(JsonNode root, String where) {
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("server.tokensFile " + where
                    + " must hold a JSON array of {\"name\", \"scopes\", \"sha256\"}");
        }
        List<TokenEntry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode item = root.get(i);
            String at = "server.tokensFile " + where + " entry " + i;
            if (!item.isObject()) {
                throw new IllegalArgumentException(at + " must be an object");
            }
            String name = text(item, "name", at);
            if (!names.add(name)) {
                throw new IllegalArgumentException(at + ": name '" + name + "' is used twice");
            }
            JsonNode scopesNode = item.get("scopes");
            if (scopesNode == null || !scopesNode.isArray() || scopesNode.isEmpty()) {
                throw new IllegalArgumentException(at + " (" + name
                        + "): scopes must be a non-empty array of ingest, read, admin");
            }
            Set<Scope> scopes = EnumSet.noneOf(Scope.class);
            for (JsonNode s : scopesNode) {
                try {
                    scopes.add(Scope.parse(s.isString() ? s.stringValue() : s.toString()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(at + " (" + name + "): " + e.getMessage());
                }
            }
            String hex = text(item, "sha256", at);
            byte[] digest;
            try {
                digest = HexFormat.of().parseHex(hex.toLowerCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                digest = new byte[0];
            }
            if (digest.length != 32) {
                throw new IllegalArgumentException(at + " (" + name
                        + "): sha256 must be the 64-hex-digit SHA-256 of the token (mos token new prints it)");
            }
            entries.add(new TokenEntry(name, scopes, digest));
        }
        return List.copyOf(entries);
    }

    private static String text(JsonNode item, String field, String at) {
        JsonNode value = item.get(field);
        if (value == null || !value.isString() || value.stringValue().isBlank()) {
            throw new IllegalArgumentException(at + ": " + field + " must be a non-empty string");
        }
        return value.stringValue();
    }

    /** The line to add to the file for a new token (its digest, never the token). */
    public static String line(String name, Set<Scope> scopes, String token) {
        var node = MAPPER.createObjectNode();
        node.put("name", name);
        var array = node.putArray("scopes");
        scopes.stream().sorted().forEach(s -> array.add(s.wireName()));
        node.put("sha256", TokenDigest.hex(token));
        return node.toString();
    }
}
