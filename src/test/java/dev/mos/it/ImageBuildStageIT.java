package dev.mos.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mos.deploy.Manifests;
import dev.mos.deploy.Manifests.Instruction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile's build stage, run for real without Docker: a build context holding only what its COPY
 * instructions copy (so a source the build needs but the Dockerfile forgets fails here, as it would in
 * {@code docker build}), its RUN command in that context, and the runtime stage's {@code COPY --from=build} source
 * present in the result, as a jar that runs.
 */
class ImageBuildStageIT {

    @Test
    void buildStageBuildsTheJarTheRuntimeStageCopiesFromOnlyWhatItCopies() throws Exception {
        Path repo = Manifests.repo();
        List<Instruction> all = Manifests.dockerfile(repo.resolve("Dockerfile"));
        List<Instruction> runtime = Manifests.lastStage(all);
        List<Instruction> build = all.subList(0, all.size() - runtime.size());
        assertThat(build).as("a build stage before the runtime stage").isNotEmpty();

        String workdir = Manifests.one(build, "WORKDIR").args();
        Path context = Files.createTempDirectory("mos-build-stage");
        List<String> runs = new ArrayList<>();
        for (Instruction i : build) {
            if (i.keyword().equals("COPY")) {
                List<String> parts = List.of(i.args().trim().split("\\s+"));
                Path dest = context.resolve(parts.getLast().equals("./") ? "" : parts.getLast());
                for (String source : parts.subList(0, parts.size() - 1)) {
                    copy(repo.resolve(source), parts.size() > 2 || parts.getLast().endsWith("/")
                            ? dest.resolve(Path.of(source).getFileName().toString()) : dest);
                }
            } else if (i.keyword().equals("RUN")) {
                // BuildKit's --mount options only cache the Maven repository; the command is what runs
                runs.add(i.args().replaceAll("--mount=\\S+\\s+", ""));
            }
        }
        assertThat(runs).as("the build stage's RUN commands").isNotEmpty();
        for (String run : runs) {
            ProcessBuilder pb = new ProcessBuilder("sh", "-c", run).directory(context.toFile())
                    .redirectErrorStream(true);
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(15, TimeUnit.MINUTES)).isTrue();
            assertThat(p.exitValue()).as("RUN %s in the build stage's context:%n%s", run,
                    output.length() > 4000 ? output.substring(output.length() - 4000) : output).isZero();
        }

        String fromBuild = runtime.stream().filter(i -> i.keyword().equals("COPY") && i.args().startsWith(
                "--from=build ")).findFirst().orElseThrow().args().split("\\s+")[1];
        assertThat(fromBuild).startsWith(workdir + "/");
        Path jar = context.resolve(fromBuild.substring(workdir.length() + 1));
        assertThat(jar).as("the runtime stage copies " + fromBuild).isRegularFile();
        Process version = new ProcessBuilder(MosProcess.javaBin(), "-jar", jar.toString(), "version")
                .redirectErrorStream(true).start();
        String printed = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(version.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(version.exitValue()).isZero();
        assertThat(printed).contains(Manifests.projectVersion());
    }

    private static void copy(Path source, Path dest) throws Exception {
        if (Files.isDirectory(source)) {
            try (Stream<Path> files = Files.walk(source)) {
                for (Path p : files.toList()) {
                    Path d = dest.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(d);
                    } else {
                        Files.copy(p, d, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        } else {
            Files.createDirectories(dest.getParent());
            Files.copy(source, dest, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }
}
