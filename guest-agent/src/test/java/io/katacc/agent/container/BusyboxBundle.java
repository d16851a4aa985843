package io.katacc.agent.container;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.katacc.agent.api.Linux;
import io.katacc.agent.api.LinuxCapabilities;
import io.katacc.agent.api.LinuxNamespace;
import io.katacc.agent.api.Mount;
import io.katacc.agent.api.Process;
import io.katacc.agent.api.Root;
import io.katacc.agent.api.Spec;
import io.katacc.agent.api.User;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A busybox rootfs built from Debian's busybox-static, and OCI specs that run it. */
public final class BusyboxBundle {

    public static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final List<String> APPLETS = List.of("sh", "echo", "cat", "sleep", "ls", "head", "tr", "wc", "true",
            "false", "kill", "id", "hostname", "dd", "yes");
    private static final List<String> CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
            "CAP_SETGID", "CAP_SETUID", "CAP_KILL", "CAP_NET_BIND_SERVICE");

    private BusyboxBundle() {
    }

    /** Skips unless we are root with runc and a static busybox, as the tests need. */
    public static void assumeTools() {
        assumeTrue("root".equals(System.getProperty("user.name")), "container tests need root");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runc")) || Files.isExecutable(Path.of("/usr/bin/runc")),
                "runc is not installed (bin/install-test-deps)");
        assumeTrue(Files.isExecutable(BUSYBOX), "busybox-static is not installed (bin/install-test-deps)");
    }

    public static String runcBinary() {
        return Files.isExecutable(Path.of("/usr/sbin/runc")) ? "/usr/sbin/runc" : "/usr/bin/runc";
    }

    public static Path rootfs(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String d : List.of("proc", "dev", "sys", "tmp", "etc")) {
            Files.createDirectories(dir.resolve(d));
        }
        Files.copy(BUSYBOX, bin.resolve("busybox"));
        for (String a : APPLETS) {
            Files.createSymbolicLink(bin.resolve(a), Path.of("busybox"));
        }
        Files.writeString(dir.resolve("etc/passwd"), "root:x:0:0:root:/:/bin/sh\n");
        return dir;
    }

    public static Process process(String... args) {
        return Process.newBuilder().setUser(User.newBuilder().setUID(0).setGID(0)).addAllArgs(List.of(args))
                .addEnv("PATH=/bin").setCwd("/")
                .setCapabilities(LinuxCapabilities.newBuilder().addAllBounding(CAPS).addAllEffective(CAPS)
                        .addAllPermitted(CAPS))
                .setNoNewPrivileges(true).build();
    }

    public static Spec spec(Path rootfs, String cgroupsPath, String... args) {
        return Spec.newBuilder().setVersion("1.0.2").setProcess(process(args))
                .setRoot(Root.newBuilder().setPath(rootfs.toString()).setReadonly(true))
                .setHostname("busybox")
                .addMounts(Mount.newBuilder().setDestination("/proc").setType("proc").setSource("proc"))
                .addMounts(Mount.newBuilder().setDestination("/dev").setType("tmpfs").setSource("tmpfs")
                        .addAllOptions(List.of("nosuid", "strictatime", "mode=755", "size=65536k")))
                .addMounts(Mount.newBuilder().setDestination("/dev/pts").setType("devpts").setSource("devpts")
                        .addOptions("nosuid").addOptions("noexec").addOptions("newinstance").addOptions("ptmxmode=0666")
                        .addOptions("mode=0620"))
                .addMounts(Mount.newBuilder().setDestination("/tmp").setType("tmpfs").setSource("tmpfs")
                        .addAllOptions(List.of("nosuid", "nodev", "size=1m")))
                .setLinux(Linux.newBuilder().setCgroupsPath(cgroupsPath)
                        .addNamespaces(LinuxNamespace.newBuilder().setType("pid"))
                        .addNamespaces(LinuxNamespace.newBuilder().setType("ipc"))
                        .addNamespaces(LinuxNamespace.newBuilder().setType("uts"))
                        .addNamespaces(LinuxNamespace.newBuilder().setType("mount"))
                        .addMaskedPaths("/proc/kcore").addReadonlyPaths("/proc/sys"))
                .build();
    }
}
