package io.katacc.integration.agent;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Makes the real guest agent runnable with {@code java -jar}: guest-agent's jar has no Main-Class and is not
 * shaded, so this writes a launcher jar (Main-Class + Class-Path) and a lib directory with the agent's
 * runtime classpath, as {@code guest-image/build.sh --agent-jar J --agent-lib DIR} expects. Entry times are
 * fixed so the same classes give the same bytes, and so the same guest image cache key.
 */
public final class AgentLauncherJar {
    public static final String MAIN_CLASS = "io.katacc.agent.server.Main";
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);
    // Test-only jars on this JVM's classpath that the agent does not need.
    private static final List<String> TEST_ONLY = List.of("junit", "opentest4j", "apiguardian", "surefire",
            "/integration/target/");

    public record Layout(Path jar, Path lib) {
    }

    private AgentLauncherJar() {
    }

    /** Writes {@code dir/agent.jar} and {@code dir/lib/} from the current (test) classpath. */
    public static Layout write(Path dir) throws IOException {
        List<Path> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isEmpty() && TEST_ONLY.stream().noneMatch(e::contains)) {
                entries.add(Path.of(e));
            }
        }
        return write(dir, entries);
    }

    /**
     * Exactly the agent's runtime classpath, as the guest-agent build records it (target/classes and
     * target/classpath.txt), so the guest image does not change when only host-side code does.
     */
    public static Layout writeFromBuild(Path repo, Path dir) throws IOException {
        Path module = repo.resolve("guest-agent/target");
        Path cpFile = module.resolve("classpath.txt");
        if (!Files.isRegularFile(cpFile) || !Files.isDirectory(module.resolve("classes"))) {
            throw new IOException("guest-agent is not built (" + cpFile + " missing): run bin/mvn -q install -DskipTests");
        }
        List<Path> entries = new ArrayList<>(List.of(module.resolve("classes")));
        for (String e : Files.readString(cpFile).strip().split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                entries.add(Path.of(e));
            }
        }
        return write(dir, entries);
    }

    private static Layout write(Path dir, List<Path> entries) throws IOException {
        if (entries.stream().noneMatch(AgentLauncherJar::holdsAgentMain)) {
            throw new IOException(MAIN_CLASS + " is not on the test classpath: build guest-agent first");
        }
        Path lib = dir.resolve("lib");
        if (Files.exists(lib)) {
            try (Stream<Path> old = Files.list(lib)) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(lib);
        List<String> classPath = new ArrayList<>();
        for (Path e : entries) {
            String name;
            if (Files.isDirectory(e)) {
                // a reactor module's target/classes: name it after the module
                name = e.getParent().getParent().getFileName() + "-classes.jar";
                jarDirectory(e, lib.resolve(name));
            } else if (Files.isRegularFile(e)) {
                name = e.getFileName().toString();
                Files.copy(e, lib.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            } else {
                continue;
            }
            classPath.add("lib/" + name);
        }
        Path jar = dir.resolve("agent.jar");
        try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
            put(zip, "META-INF/MANIFEST.MF", manifest(classPath));
        }
        return new Layout(jar, lib);
    }

    private static boolean holdsAgentMain(Path entry) {
        String cls = MAIN_CLASS.replace('.', '/') + ".class";
        if (Files.isDirectory(entry)) {
            return Files.isRegularFile(entry.resolve(cls));
        }
        try (var zip = new java.util.zip.ZipFile(entry.toFile())) {
            return zip.getEntry(cls) != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] manifest(List<String> classPath) {
        StringBuilder sb = new StringBuilder("Manifest-Version: 1.0\r\nMain-Class: " + MAIN_CLASS + "\r\n");
        // Manifest lines are at most 72 bytes; continuation lines start with one space.
        String cp = "Class-Path: " + String.join(" ", classPath);
        sb.append(cp, 0, Math.min(70, cp.length())).append("\r\n");
        for (int i = 70; i < cp.length(); i += 69) {
            sb.append(' ').append(cp, i, Math.min(i + 69, cp.length())).append("\r\n");
        }
        return sb.append("\r\n").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void jarDirectory(Path dir, Path target) throws IOException {
        try (OutputStream out = Files.newOutputStream(target); ZipOutputStream zip = new ZipOutputStream(out);
             Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                put(zip, dir.relativize(f).toString().replace(File.separatorChar, '/'), Files.readAllBytes(f));
            }
        }
    }

    /** One jar entry with the fixed time, so the same bytes in give the same jar out. */
    public static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTimeLocal(FIXED_TIME);
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
