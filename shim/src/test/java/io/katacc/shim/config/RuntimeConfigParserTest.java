package io.katacc.shim.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class RuntimeConfigParserTest {
    private static final String CLH_SNP = """
            [hypervisor.clh]
            path = "/opt/kata/bin/cloud-hypervisor"
            igvm = "/opt/kata/share/kata-containers/kata-containers-igvm.img"
            image = "/opt/kata/share/kata-containers/kata-containers-confidential.img"
            kernel = "/opt/kata/share/kata-containers/vmlinux.container"
            kernel_params = "agent.log=debug  console=ttyS0"
            default_vcpus = 2
            default_maxvcpus = 4
            default_memory = 512
            confidential_guest = true
            sev_snp_guest = true
            block_device_driver = "virtio-blk"

            [agent.kata]
            dial_timeout = 45
            kernel_modules = ["erofs", "dm_verity"]

            [runtime]
            default_policy = "/etc/kata-cc/default-policy.rego"
            state_dir = "/tmp/kcc-state"
            """;

    private final RuntimeConfigParser parser = new RuntimeConfigParser();

    @Test
    void readsAKataStyleClhSnpConfiguration() {
        RuntimeConfig c = parser.parse(Path.of("/x.toml"), CLH_SNP);
        HypervisorConfig h = c.hypervisor();
        assertEquals(HypervisorKind.CLH, h.kind());
        assertEquals(Path.of("/opt/kata/bin/cloud-hypervisor"), h.path());
        assertEquals(Optional.of(Path.of("/opt/kata/share/kata-containers/kata-containers-igvm.img")), h.igvm());
        assertEquals(List.of("agent.log=debug", "console=ttyS0"), h.kernelParams());
        assertEquals(2, h.defaultVcpus());
        assertEquals(4, h.defaultMaxVcpus());
        assertEquals(512, h.defaultMemoryMiB());
        assertTrue(h.snp());
        assertEquals(Duration.ofSeconds(45), c.agent().dialTimeout());
        assertEquals(List.of("erofs", "dm_verity"), c.agent().kernelModules());
        assertEquals(Optional.of(Path.of("/etc/kata-cc/default-policy.rego")), c.runtime().defaultPolicy());
        assertEquals(Path.of("/tmp/kcc-state"), c.runtime().stateDir());
    }

    @Test
    void qemuSectionWithDefaults() {
        RuntimeConfig c = parser.parse(Path.of("/q.toml"), """
                [hypervisor.qemu]
                path = "/usr/bin/qemu-system-x86_64"
                kernel = "/k"
                initrd = "/i"
                """);
        assertEquals(HypervisorKind.QEMU, c.hypervisor().kind());
        assertEquals(1, c.hypervisor().defaultVcpus());
        assertEquals(2048, c.hypervisor().defaultMemoryMiB());
        assertFalse(c.hypervisor().snp());
        assertEquals(Duration.ofSeconds(90), c.agent().dialTimeout());
        assertEquals(Path.of("/run/kata-cc"), c.runtime().stateDir());
        assertEquals("auto", c.hypervisor().accel());
        assertEquals(io.katacc.shim.rootfs.LayerStorageLayout.PER_LAYER, c.runtime().layerStorage());
        RuntimeConfig multi = parser.parse(Path.of("/q.toml"), """
                [hypervisor.qemu]
                path = "/q"
                kernel = "/k"
                initrd = "/i"
                [runtime]
                layer_storage = "multi-layer-erofs"
                """);
        assertEquals(io.katacc.shim.rootfs.LayerStorageLayout.MULTI_LAYER_EROFS, multi.runtime().layerStorage());
    }

    @Test
    void errorsNameFileAndKey() {
        assertError("/q.toml: hypervisor.qemu.default_memory: must be an integer, got \"lots\"", """
                [hypervisor.qemu]
                path = "/q"
                kernel = "/k"
                initrd = "/i"
                default_memory = "lots"
                """);
        assertError("/q.toml: hypervisor.qemu.defualt_vcpus: unknown key", """
                [hypervisor.qemu]
                path = "/q"
                kernel = "/k"
                initrd = "/i"
                defualt_vcpus = 2
                """);
        assertError("/q.toml: hypervisor.qemu.sev_snp_guest: requires confidential_guest = true", """
                [hypervisor.qemu]
                path = "/q"
                kernel = "/k"
                initrd = "/i"
                sev_snp_guest = true
                """);
        assertError("/q.toml: hypervisor: exactly one of [hypervisor.clh] or [hypervisor.qemu] is required, found 0",
                "[agent.kata]\n");
        assertError("/q.toml: hypervisor.firecracker: unsupported hypervisor (supported: clh, qemu)",
                "[hypervisor.firecracker]\npath = \"/f\"\n");
        assertError("/q.toml: hypervisor.qemu.kernel: must be an absolute path, got \"vmlinuz\"", """
                [hypervisor.qemu]
                path = "/q"
                kernel = "vmlinuz"
                initrd = "/i"
                """);
        assertError("/q.toml: hypervisor.qemu.default_vcpus: must be in [1, 512], got 0", """
                [hypervisor.qemu]
                path = "/q"
                kernel = "/k"
                initrd = "/i"
                default_vcpus = 0
                """);
        assertError("/q.toml: hypervisor.qemu.accel: must be auto, kvm or tcg, got \"hvf\"", """
                [hypervisor.qemu]
                path = "/q"
                kernel = "/k"
                initrd = "/i"
                accel = "hvf"
                """);
        assertError("/q.toml: runtime.layer_storage: must be one of [\"per-layer\", \"multi-layer-erofs\"], got \"gpt\"", """
                [hypervisor.qemu]
                path = "/q"
                kernel = "/k"
                initrd = "/i"
                [runtime]
                layer_storage = "gpt"
                """);
        ConfigException bad = assertThrows(ConfigException.class, () -> parser.parse(Path.of("/q.toml"), "[hypervisor.qemu\n"));
        assertTrue(bad.getMessage().startsWith("/q.toml: not valid TOML"), bad.getMessage());
    }

    @Test
    void missingFileIsAClearError(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> parser.parse(dir.resolve("none.toml")));
        assertEquals("runtime configuration " + dir.resolve("none.toml") + " does not exist", e.getMessage());
    }

    @Test
    void locatorPrefersAnnotationThenEnvThenDefaults(@TempDir Path dir) throws Exception {
        Path allowed = dir.resolve("etc");
        Files.createDirectories(allowed);
        Path dflt = Files.writeString(allowed.resolve("configuration.toml"), "");
        var locator = new ConfigLocator(Map.of(ConfigLocator.ENV, "/env.toml"), List.of(dflt), List.of(allowed));
        assertEquals(allowed.resolve("other.toml"),
                locator.locate(Map.of(ConfigLocator.ANNOTATION, allowed.resolve("other.toml").toString())));
        assertEquals(Path.of("/env.toml"), locator.locate(Map.of()));
        assertEquals(dflt, new ConfigLocator(Map.of(), List.of(dir.resolve("missing"), dflt), List.of()).locate(Map.of()));
        ConfigException escape = assertThrows(ConfigException.class,
                () -> locator.locate(Map.of(ConfigLocator.ANNOTATION, allowed + "/../../etc/shadow")));
        assertTrue(escape.getMessage().contains("not under an allowed configuration directory"), escape.getMessage());
        assertThrows(ConfigException.class, () -> new ConfigLocator(Map.of(), List.of(dir.resolve("no")), List.of()).locate(Map.of()));
    }

    private void assertError(String expected, String toml) {
        ConfigException e = assertThrows(ConfigException.class, () -> parser.parse(Path.of("/q.toml"), toml));
        assertEquals(expected, e.getMessage());
    }
}
