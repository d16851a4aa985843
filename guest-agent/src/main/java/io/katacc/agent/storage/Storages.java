package io.katacc.agent.storage;

import io.katacc.agent.api.Storage;
import io.katacc.agent.error.AgentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts the storages of CreateSandbox/CreateContainer requests. Only under the agent's run
 * directory (the guest's /run/kata-containers), so a host cannot mount over guest files. A mount point
 * named by several requests (an image layer shared by containers) is mounted once and counted, as Kata's
 * agent does; the last user's unmount takes it (and its dm-verity device) down.
 */
public final class Storages {

    private static final Logger LOG = LoggerFactory.getLogger(Storages.class);
    public static final List<String> DRIVERS = List.of("ephemeral", "local", "overlayfs", "blk", "erofs.multi-layer");

    private record Mounted(int refs, String dmName) {
    }

    private final Path runDir;
    private final Mounter mounter;
    private final BlockDevices blockDevices;
    private final Map<Path, Mounted> mounted = new HashMap<>();

    public Storages(Path runDir, Mounter mounter) {
        this(runDir, mounter, BlockDevices.guest());
    }

    public Storages(Path runDir, Mounter mounter, BlockDevices blockDevices) {
        this.runDir = runDir.toAbsolutePath().normalize();
        this.mounter = mounter;
        this.blockDevices = blockDevices;
    }

    public Path runDir() {
        return runDir;
    }

    /** Checks all storages first, then mounts them; a failure unmounts what this call mounted. */
    public synchronized List<Path> mountAll(List<Storage> storages) {
        List<Path> targets = new ArrayList<>();
        for (Storage s : storages) {
            targets.add(target(s));
            if (!DRIVERS.contains(s.getDriver())) {
                throw new AgentException(AgentException.Kind.UNIMPLEMENTED, "storage driver '" + s.getDriver()
                        + "' is not supported by this agent (supported: " + DRIVERS + ")");
            }
            if ((s.getDriver().equals("blk") || s.getDriver().equals("erofs.multi-layer")) && VerityOptions.enabled(s)) {
                VerityOptions.parse(s); // refuse a bad root hash before anything is mounted
            }
        }
        List<Path> done = new ArrayList<>();
        try {
            for (int i = 0; i < storages.size(); i++) {
                mountOne(storages.get(i), targets.get(i));
                done.add(targets.get(i));
            }
        } catch (RuntimeException e) {
            unmountAll(done);
            throw e;
        }
        return done;
    }

    public synchronized void unmountAll(List<Path> targets) {
        for (int i = targets.size() - 1; i >= 0; i--) {
            Path t = targets.get(i);
            Mounted m = mounted.get(t);
            if (m == null) {
                continue;
            }
            if (m.refs() > 1) {
                mounted.put(t, new Mounted(m.refs() - 1, m.dmName()));
                continue;
            }
            mounted.remove(t);
            try {
                mounter.unmount(t);
            } catch (AgentException e) {
                LOG.warn("unmount {}: {}", t, e.getMessage());
            }
            if (m.dmName() != null) {
                try {
                    new io.katacc.verity.dm.DeviceMapper().remove(m.dmName());
                } catch (IOException | RuntimeException e) {
                    LOG.warn("removing dm-verity device {}: {}", m.dmName(), e.getMessage());
                }
            }
        }
    }

    public synchronized List<Path> mounted() {
        return List.copyOf(mounted.keySet());
    }

    /** How many storages use this mount point (0: not mounted). */
    public synchronized int users(Path target) {
        Mounted m = mounted.get(target);
        return m == null ? 0 : m.refs();
    }

    private Path target(Storage s) {
        String mp = s.getMountPoint();
        if (mp.isEmpty() || !mp.startsWith("/")) {
            throw AgentException.invalid("storage mount_point '" + mp + "' is not an absolute path");
        }
        Path p = Path.of(mp).normalize();
        if (!p.toString().equals(mp.replaceAll("/+$", "")) || mp.contains("/../")) {
            throw AgentException.invalid("storage mount_point '" + mp + "' is not canonical");
        }
        Path target = mapIntoRunDir(p);
        if (!target.startsWith(runDir)) {
            throw AgentException.invalid("storage mount_point '" + mp + "' is outside " + GUEST_RUN_DIR);
        }
        return target;
    }

    /** Requests name guest paths under /run/kata-containers; the agent may keep that tree elsewhere (tests). */
    public static final String GUEST_RUN_DIR = "/run/kata-containers";

    public Path mapIntoRunDir(Path guestPath) {
        Path base = Path.of(GUEST_RUN_DIR);
        if (!guestPath.startsWith(base)) {
            throw AgentException.invalid("path '" + guestPath + "' is outside " + GUEST_RUN_DIR);
        }
        return runDir.resolve(base.relativize(guestPath).toString()).normalize();
    }

    private void mountOne(Storage s, Path target) {
        Mounted existing = mounted.get(target);
        if (existing != null) {
            mounted.put(target, new Mounted(existing.refs() + 1, existing.dmName()));
            LOG.info("storage shared driver={} target={} users={}", s.getDriver(), target, existing.refs() + 1);
            return;
        }
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new AgentException(AgentException.Kind.INTERNAL, "mkdir " + target + ": " + e.getMessage(), e);
        }
        switch (s.getDriver()) {
            case "ephemeral" -> {
                if (!s.getFstype().equals("tmpfs")) {
                    throw AgentException.invalid("ephemeral storage must be tmpfs, got '" + s.getFstype() + "'");
                }
                mounter.mount(s.getSource().isEmpty() ? "tmpfs" : s.getSource(), target, "tmpfs", s.getOptionsList());
                mounted.put(target, new Mounted(1, null));
            }
            case "local" -> {
                // a directory on the guest's own filesystem; options carry its mode
                String mode = s.getOptionsList().stream().filter(o -> o.startsWith("mode=")).findFirst()
                        .map(o -> o.substring(5)).orElse("0777");
                try {
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(rwx(Integer.parseInt(mode, 8))));
                } catch (IOException | NumberFormatException e) {
                    throw AgentException.invalid("local storage mode '" + mode + "': " + e.getMessage());
                }
            }
            case "overlayfs" -> {
                // layer directories are guest paths too: keep them inside the run directory
                List<String> opts = new ArrayList<>();
                for (String o : s.getOptionsList()) {
                    String key = o.contains("=") ? o.substring(0, o.indexOf('=')) : o;
                    if (key.equals("upperdir") || key.equals("workdir") || key.equals("lowerdir")) {
                        List<String> dirs = new ArrayList<>();
                        for (String d : o.substring(key.length() + 1).split(":")) {
                            Path mapped = mapIntoRunDir(Path.of(d).normalize());
                            if (!key.equals("lowerdir")) {
                                mkdirs(mapped);
                            }
                            dirs.add(mapped.toString());
                        }
                        opts.add(key + "=" + String.join(":", dirs));
                    } else {
                        opts.add(o);
                    }
                }
                mounter.mount("overlay", target, "overlay", opts);
                mounted.put(target, new Mounted(1, null));
            }
            case "blk", "erofs.multi-layer" -> {
                // read-only image layer: only through dm-verity with the root hash the policy approved
                if (!VerityOptions.enabled(s)) {
                    throw AgentException.invalid("storage " + s.getMountPoint()
                            + ": layer without X-kata.dmverity-enabled=true is refused");
                }
                var params = VerityOptions.parse(s);
                String why = io.katacc.verity.dm.DeviceMapper.unavailableReason();
                if (why != null) {
                    throw new AgentException(AgentException.Kind.FAILED_PRECONDITION, "storage " + s.getMountPoint()
                            + ": cannot open dm-verity: " + why);
                }
                String name = "kcc-" + params.rootHashHex().substring(0, 16);
                String device = blockDevices.resolve(s.getSource());
                var dm = new io.katacc.verity.dm.DeviceMapper();
                io.katacc.verity.dm.VerityDevice dev;
                try {
                    dev = dm.openVerity(name, device, params);
                } catch (java.io.IOException e) {
                    throw new AgentException(AgentException.Kind.INTERNAL, "storage " + s.getMountPoint()
                            + ": dm-verity open of " + device + " (" + s.getSource() + ") failed: " + e.getMessage(), e);
                }
                try {
                    mounter.mount(dev.path(), target, s.getFstype().isEmpty() ? "erofs" : s.getFstype(), List.of("ro"));
                } catch (RuntimeException e) {
                    try {
                        dm.remove(name);
                    } catch (java.io.IOException | RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                    throw e;
                }
                mounted.put(target, new Mounted(1, name));
            }
            default -> throw new IllegalStateException(s.getDriver());
        }
        LOG.info("storage mounted driver={} target={}", s.getDriver(), target);
    }

    private static void mkdirs(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new AgentException(AgentException.Kind.INTERNAL, "mkdir " + p + ": " + e.getMessage(), e);
        }
    }

    private static String rwx(int mode) {
        String chars = "rwxrwxrwx";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            b.append((mode & (1 << (8 - i))) != 0 ? chars.charAt(i) : '-');
        }
        return b.toString();
    }

}
