package io.katacc.integration.guestimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.katacc.integration.TestEnvironment;
import io.katacc.integration.placeholder.PlaceholderAgentJar;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds the guest image with the real script and inspects the archive with the real cpio. */
class GuestImageBuildTest {
    private static Path agentJar;
    private static GuestImageBuild first;

    @BeforeAll
    static void buildOnce() throws Exception {
        TestEnvironment.requireGuestImageTools();
        Path target = TestEnvironment.repoDir().resolve("integration/target");
        Files.createDirectories(target);
        agentJar = PlaceholderAgentJar.write(target.resolve("placeholder-agent.jar"));
        first = builder(agentJar).build();
        System.out.printf("guest-image: %s in %d ms (cached=%s), initramfs %d bytes%n", first.image().dir(),
                first.elapsed().toMillis(), first.cached(), Files.size(first.image().initramfs()));
    }

    /** The same inputs as GuestVmBootTest, so both share one cached image. */
    private static GuestImageBuilder builder(Path jar) {
        return new GuestImageBuilder(GuestImageBuilder.scriptIn(TestEnvironment.repoDir()), jar)
                .withDefaultPolicy(TestEnvironment.samplePolicy());
    }

    @Test
    void initramfsHoldsEverythingTheAgentNeeds() throws Exception {
        Set<String> entries = Set.copyOf(cpio(first.image().initramfs(), "-it").lines().toList());
        String kver = first.image().manifest().get("kernel_version");
        String mods = "lib/modules/" + kver + "/kernel/";
        for (String required : List.of("init", "bin/busybox", "bin/sh", "sbin/switch_root", "usr/sbin/runc",
                "sbin/kmod", "sbin/modprobe", "lib64/ld-linux-x86-64.so.2",
                "lib/x86_64-linux-gnu/libseccomp.so.2", "dev/console",
                "opt/java/bin/java", "opt/java/lib/server/libjvm.so", "opt/java/lib/server/classes.jsa",
                "opt/kcc-agent/agent.jar", "lib/modules/" + kver + "/modules.dep",
                mods + "drivers/md/dm-verity.ko", mods + "drivers/md/dm-bufio.ko", mods + "drivers/md/dm-mod.ko",
                mods + "fs/erofs/erofs.ko", mods + "fs/overlayfs/overlay.ko",
                mods + "drivers/block/virtio_blk.ko", mods + "drivers/char/virtio_console.ko",
                mods + "drivers/virtio/virtio_pci.ko", mods + "net/vmw_vsock/vmw_vsock_virtio_transport.ko",
                mods + "drivers/virt/coco/sev-guest/sev-guest.ko")) {
            assertTrue(entries.contains(required), "initramfs lacks " + required);
        }
        // The jlinked runtime carries only the modules the agent needs, not the whole JDK.
        String release = cpio(first.image().initramfs(), "-i", "--to-stdout", "opt/java/release");
        assertTrue(release.contains("MODULES=\"java.base java.logging"), release);
        assertFalse(release.contains("java.desktop"), release);
        assertFalse(release.contains("jdk.compiler"), release);
        // modprobe in the guest resolves dm-verity's dependencies from the depmod output.
        String dep = cpio(first.image().initramfs(), "-i", "--to-stdout", "lib/modules/" + kver + "/modules.dep");
        String verity = dep.lines().filter(l -> l.startsWith("kernel/drivers/md/dm-verity.ko:")).findFirst()
                .orElseThrow(() -> new AssertionError("no dm-verity line in modules.dep:\n" + dep));
        assertTrue(verity.contains("dm-bufio.ko") && verity.contains("dm-mod.ko"), verity);
        // The default policy is installed where the agent looks for it, byte for byte.
        String policy = cpio(first.image().initramfs(), "-i", "--to-stdout", "etc/kata-opa/default-policy.rego");
        assertEquals(Files.readString(TestEnvironment.samplePolicy()), policy);
    }

    @Test
    void kernelIsAnElfVmlinuxExtractedFromTheDebianBzImage() throws Exception {
        byte[] head = new byte[4];
        try (var in = Files.newInputStream(first.image().kernel())) {
            assertEquals(4, in.read(head));
        }
        assertEquals("\u007fELF", new String(head, java.nio.charset.StandardCharsets.ISO_8859_1));
        assertTrue(Files.size(first.image().kernel()) > 4 * Files.size(first.image().compressedKernel()),
                "vmlinux should be the decompressed payload");
        String kver = first.image().manifest().get("kernel_version");
        assertEquals(-1L, Files.mismatch(Path.of("/boot/vmlinuz-" + kver), first.image().compressedKernel()));
    }

    @Test
    void secondBuildIsACacheHit() {
        GuestImageBuild again = builder(agentJar).build();
        assertTrue(again.cached(), "expected a cache hit for unchanged inputs");
        assertEquals(first.image().dir(), again.image().dir());
    }

    @Test
    void rebuildFromScratchIsByteIdentical(@TempDir Path cache) throws Exception {
        GuestImageBuild fresh = builder(agentJar).withCacheDir(cache).forced().build();
        assertFalse(fresh.cached());
        assertEquals(first.image().key(), fresh.image().key(), "same inputs must give the same cache key");
        assertEquals(first.image().manifest().get("initramfs_sha256"),
                fresh.image().manifest().get("initramfs_sha256"), "initramfs is not reproducible");
        assertEquals(-1L, Files.mismatch(first.image().initramfs(), fresh.image().initramfs()));
    }

    @Test
    void changedAgentJarChangesTheKey(@TempDir Path dir) throws Exception {
        Path other = dir.resolve("other.jar");
        writeJar(other, "Main-Class: some.Other\r\n");
        String policy = TestEnvironment.samplePolicy().toString();
        assertEquals(first.image().key(), printKey(agentJar, "--default-policy", policy));
        assertFalse(first.image().key().equals(printKey(agentJar)), "the default policy must be part of the key");
        String otherKey = printKey(other, "--default-policy", policy);
        assertTrue(otherKey.matches("[0-9a-f]{16}"), otherKey);
        assertFalse(otherKey.equals(first.image().key()), "a different agent jar must change the cache key");
    }

    @Test
    void missingJarIsAClearError(@TempDir Path dir) {
        GuestImageBuildException e = assertThrows(GuestImageBuildException.class,
                () -> builder(dir.resolve("nope.jar")).withCacheDir(dir).build());
        assertTrue(e.getMessage().contains("agent jar not found: " + dir.resolve("nope.jar")), e.getMessage());
        assertTrue(isEmptyDir(dir), "a failed build must leave nothing behind");
    }

    @Test
    void jarWithoutMainClassIsRejected(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("lib.jar");
        writeJar(jar, "");
        Path cache = dir.resolve("cache");
        GuestImageBuildException e = assertThrows(GuestImageBuildException.class,
                () -> builder(jar).withCacheDir(cache).build());
        assertTrue(e.getMessage().contains("no Main-Class"), e.getMessage());
        assertFalse(Files.exists(cache), "a rejected build must not create the cache");
    }

    private static boolean isEmptyDir(Path dir) {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void writeJar(Path jar, String extraManifest) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            zip.write(("Manifest-Version: 1.0\r\n" + extraManifest + "\r\n").getBytes());
            zip.closeEntry();
        }
    }

    private static String printKey(Path jar, String... extra) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash",
                GuestImageBuilder.scriptIn(TestEnvironment.repoDir()).toString(), "--agent-jar", jar.toString(),
                "--print-key"));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "build.sh --print-key failed");
        return out;
    }

    private static String cpio(Path archive, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("cpio", "--quiet"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectInput(archive.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "cpio hung");
        assertEquals(0, p.exitValue(), "cpio " + String.join(" ", args) + " failed");
        return out;
    }
}
