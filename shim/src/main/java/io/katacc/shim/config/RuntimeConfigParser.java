package io.katacc.shim.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.katacc.shim.rootfs.LayerStorageLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a Kata-style runtime configuration ({@code configuration-clh-snp.toml} layout): exactly one
 * {@code [hypervisor.clh]} or {@code [hypervisor.qemu]} section, {@code [agent.kata]}, {@code [runtime]}.
 * Unknown keys in the sections we own are errors, so a typo never silently falls back to a default.
 */
public final class RuntimeConfigParser {
    private static final Set<String> HYPERVISOR_KEYS = Set.of("path", "kernel", "initrd", "image", "igvm",
            "kernel_params", "default_vcpus", "default_maxvcpus", "default_memory", "confidential_guest",
            "sev_snp_guest", "block_device_driver", "machine_type", "firmware", "valid_hypervisor_paths",
            "disable_nesting_checks", "shared_fs", "enable_debug", "accel");
    private static final Set<String> AGENT_KEYS = Set.of("dial_timeout", "request_timeout", "kernel_modules",
            "debug", "enable_debug", "debug_console_enabled");
    private static final Set<String> RUNTIME_KEYS = Set.of("default_policy", "enable_debug", "state_dir", "layer_cache_dir", "layer_storage",
            "internetworking_model", "disable_guest_seccomp", "sandbox_cgroup_only", "static_sandbox_resource_mgmt");
    private static final Path DEFAULT_STATE_DIR = Path.of("/run/kata-cc");
    private static final Path DEFAULT_LAYER_CACHE_DIR = Path.of("/var/cache/kata-cc/layers");

    private final TomlMapper mapper = new TomlMapper();

    public RuntimeConfig parse(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("runtime configuration " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("cannot read runtime configuration " + file + ": " + e.getMessage(), e);
        }
        return parse(file, text);
    }

    public RuntimeConfig parse(Path source, String text) {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (IOException e) {
            throw new ConfigException(source + ": not valid TOML: " + e.getMessage(), e);
        }
        var ctx = new Ctx(source);
        return new RuntimeConfig(source, hypervisor(ctx, root.path("hypervisor")),
                agent(ctx, root.path("agent").path("kata")), runtime(ctx, root.path("runtime")));
    }

    private HypervisorConfig hypervisor(Ctx ctx, JsonNode hv) {
        List<HypervisorKind> present = new ArrayList<>();
        for (HypervisorKind k : HypervisorKind.values()) {
            if (hv.has(k.section())) {
                present.add(k);
            }
        }
        for (Iterator<String> it = hv.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (Arrays.stream(HypervisorKind.values()).noneMatch(k -> k.section().equals(name))) {
                throw ctx.error("hypervisor." + name, "unsupported hypervisor (supported: clh, qemu)");
            }
        }
        if (present.size() != 1) {
            throw ctx.error("hypervisor", "exactly one of [hypervisor.clh] or [hypervisor.qemu] is required, found "
                    + present.size());
        }
        HypervisorKind kind = present.getFirst();
        String sec = "hypervisor." + kind.section();
        JsonNode s = hv.get(kind.section());
        ctx.onlyKeys(sec, s, HYPERVISOR_KEYS);
        Optional<Path> initrd = ctx.optPath(sec, s, "initrd");
        Optional<Path> image = ctx.optPath(sec, s, "image");
        Optional<Path> igvm = ctx.optPath(sec, s, "igvm");
        if (initrd.isPresent() && image.isPresent()) {
            throw ctx.error(sec, "set either initrd or image, not both");
        }
        if (initrd.isEmpty() && image.isEmpty() && igvm.isEmpty()) {
            throw ctx.error(sec, "one of initrd, image or igvm is required");
        }
        int vcpus = ctx.intIn(sec, s, "default_vcpus", 1, 1, 512);
        int maxVcpus = ctx.intIn(sec, s, "default_maxvcpus", vcpus, vcpus, 512);
        String driver = ctx.string(sec, s, "block_device_driver", "virtio-blk");
        if (!driver.equals("virtio-blk")) {
            throw ctx.error(sec + ".block_device_driver", "only virtio-blk is supported, got \"" + driver + "\"");
        }
        boolean confidential = ctx.bool(sec, s, "confidential_guest", false);
        boolean snp = ctx.bool(sec, s, "sev_snp_guest", false);
        if (snp && !confidential) {
            throw ctx.error(sec + ".sev_snp_guest", "requires confidential_guest = true");
        }
        Path kernel = ctx.optPath(sec, s, "kernel").orElse(null);
        if (kernel == null && igvm.isEmpty()) {
            throw ctx.error(sec + ".kernel", "required unless igvm is set");
        }
        return new HypervisorConfig(kind,
                ctx.optPath(sec, s, "path").orElseThrow(() -> ctx.error(sec + ".path", "required")),
                kernel, initrd, image, igvm, splitParams(ctx.string(sec, s, "kernel_params", "")),
                vcpus, maxVcpus, ctx.intIn(sec, s, "default_memory", 2048, 64, 1 << 22),
                confidential, snp, driver, accel(ctx, sec, s));
    }

    private static String accel(Ctx ctx, String sec, JsonNode s) {
        String a = ctx.string(sec, s, "accel", "auto");
        if (!Set.of("auto", "kvm", "tcg").contains(a)) {
            throw ctx.error(sec + ".accel", "must be auto, kvm or tcg, got \"" + a + "\"");
        }
        return a;
    }

    private static List<String> splitParams(String params) {
        return params.isBlank() ? List.of() : List.of(params.trim().split("\\s+"));
    }

    private AgentConfig agent(Ctx ctx, JsonNode a) {
        String sec = "agent.kata";
        ctx.onlyKeys(sec, a, AGENT_KEYS);
        List<String> modules = new ArrayList<>();
        JsonNode m = a.path("kernel_modules");
        if (!m.isMissingNode()) {
            if (!m.isArray()) {
                throw ctx.error(sec + ".kernel_modules", "must be an array of strings");
            }
            m.forEach(n -> {
                if (!n.isTextual()) {
                    throw ctx.error(sec + ".kernel_modules", "must be an array of strings");
                }
                modules.add(n.asText());
            });
        }
        return new AgentConfig(Duration.ofSeconds(ctx.intIn(sec, a, "dial_timeout", 90, 1, 3600)),
                Duration.ofSeconds(ctx.intIn(sec, a, "request_timeout", 60, 1, 3600)), modules,
                ctx.bool(sec, a, "enable_debug", ctx.bool(sec, a, "debug", false)));
    }

    private RuntimeSection runtime(Ctx ctx, JsonNode r) {
        String sec = "runtime";
        ctx.onlyKeys(sec, r, RUNTIME_KEYS);
        return new RuntimeSection(ctx.optPath(sec, r, "default_policy"), ctx.bool(sec, r, "enable_debug", false),
                ctx.optPath(sec, r, "state_dir").orElse(DEFAULT_STATE_DIR),
                ctx.optPath(sec, r, "layer_cache_dir").orElse(DEFAULT_LAYER_CACHE_DIR), layerStorage(ctx, sec, r));
    }

    private static LayerStorageLayout layerStorage(Ctx ctx, String sec, JsonNode r) {
        String v = ctx.string(sec, r, "layer_storage", LayerStorageLayout.PER_LAYER.key());
        return LayerStorageLayout.fromKey(v).orElseThrow(() -> ctx.error(sec + ".layer_storage", "must be one of "
                + java.util.Arrays.stream(LayerStorageLayout.values()).map(l -> "\"" + l.key() + "\"").toList()
                + ", got \"" + v + "\""));
    }

    /** Typed accessors that name the file and key in every error. */
    private record Ctx(Path source) {
        ConfigException error(String key, String what) {
            return new ConfigException(source + ": " + key + ": " + what);
        }

        void onlyKeys(String sec, JsonNode s, Set<String> allowed) {
            if (s.isMissingNode()) {
                return;
            }
            if (!s.isObject()) {
                throw error(sec, "must be a table");
            }
            for (Map.Entry<String, JsonNode> e : s.properties()) {
                if (!allowed.contains(e.getKey())) {
                    throw error(sec + "." + e.getKey(), "unknown key");
                }
            }
        }

        String string(String sec, JsonNode s, String key, String dflt) {
            JsonNode n = s.path(key);
            if (n.isMissingNode()) {
                return dflt;
            }
            if (!n.isTextual()) {
                throw error(sec + "." + key, "must be a string, got " + kind(n));
            }
            return n.asText();
        }

        Optional<Path> optPath(String sec, JsonNode s, String key) {
            String v = string(sec, s, key, "");
            if (v.isEmpty()) {
                return Optional.empty();
            }
            Path p = Path.of(v);
            if (!p.isAbsolute()) {
                throw error(sec + "." + key, "must be an absolute path, got \"" + v + "\"");
            }
            return Optional.of(p);
        }

        int intIn(String sec, JsonNode s, String key, int dflt, int min, int max) {
            JsonNode n = s.path(key);
            if (n.isMissingNode()) {
                return dflt;
            }
            if (!n.isIntegralNumber()) {
                throw error(sec + "." + key, "must be an integer, got " + kind(n));
            }
            long v = n.asLong();
            if (v < min || v > max) {
                throw error(sec + "." + key, "must be in [" + min + ", " + max + "], got " + v);
            }
            return (int) v;
        }

        boolean bool(String sec, JsonNode s, String key, boolean dflt) {
            JsonNode n = s.path(key);
            if (n.isMissingNode()) {
                return dflt;
            }
            if (!n.isBoolean()) {
                throw error(sec + "." + key, "must be true or false, got " + kind(n));
            }
            return n.asBoolean();
        }

        private static String kind(JsonNode n) {
            return n.getNodeType() == JsonNodeType.STRING ? "\"" + n.asText() + "\"" : n.getNodeType().name().toLowerCase();
        }
    }
}
