package io.katacc.agent.storage;

import io.katacc.agent.api.Storage;
import io.katacc.agent.error.AgentException;
import io.katacc.agent.files.FileTrees;
import io.katacc.verity.hashtree.VerityParams;
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
    public static final List<String> DRIVERS = List.of("ephemeral", "local", "overlayfs", "blk", MultiLayerErofs.DRIVER);

    /** A mount point in use: by how many storages, its dm-verity device, a scratch directory to delete after it. */
    private record Mounted(int refs, String dmName, Path scratch) {
        Mounted(int refs, String dmName) {
            this(refs, dmName, null);
        }

        Mounted shared(int delta) {
            return new Mounted(refs + delta, dmName, scratch);
        }
    }

    private final Path runDir;
    private final Mounter mounter;
    private final BlockDevices blockDevices;
    private final VerityDevices verity;
    private final Map<Path, Mounted> mounted = new HashMap<>();

    public Storages(Path runDir, Mounter mounter) {
        this(runDir, mounter, BlockDevices.guest());
    }

    public Storages(Path runDir, Mounter mounter, BlockDevices blockDevices) {
        this(runDir, mounter, blockDevices, VerityDevices.deviceMapper());
    }

    public Storages(Path runDir, Mounter mounter, BlockDevices blockDevices, VerityDevices verity) {
        this.runDir = runDir.toAbsolutePath().normalize();
        this.mounter = mounter;
        this.blockDevices = blockDevices;
        this.verity = verity;
    }

    public Path runDir() {
        return runDir;
    }

    /**
     * Checks all storages first, then mounts them; a failure unmounts what this call mounted. The
     * multi-layer EROFS storages among them form one group ({@link MultiLayerErofs}), mounted last.
     * Returns the mount points in mount order, for {@link #unmountAll}.
     */
    public synchronized List<Path> mountAll(List<Storage> storages) {
        List<Storage> plain = new ArrayList<>();
        List<Path> targets = new ArrayList<>();
        List<Storage> group = new ArrayList<>();
        for (Storage s : storages) {
            Path target = target(s);
            if (!DRIVERS.contains(s.getDriver()) && !MultiLayerErofs.isMember(s)) {
                throw new AgentException(AgentException.Kind.UNIMPLEMENTED, "storage driver '" + s.getDriver()
                        + "' is not supported by this agent (supported: " + DRIVERS + ")");
            }
            if ((s.getDriver().equals("blk") || MultiLayerErofs.isMember(s)) && VerityOptions.enabled(s)) {
                VerityOptions.parse(s); // refuse a bad root hash before anything is mounted
            }
            if (MultiLayerErofs.isMember(s)) {
                group.add(s);
            } else {
                plain.add(s);
                targets.add(target);
            }
        }
        MultiLayerErofs.Plan plan = group.isEmpty() ? null : MultiLayerErofs.plan(group, target(group.getFirst()));
        List<Path> done = new ArrayList<>();
        try {
            for (int i = 0; i < plain.size(); i++) {
                mountOne(plain.get(i), targets.get(i));
                done.add(targets.get(i));
            }
            if (plan != null) {
                mountGroup(plan, done);
            }
        } catch (RuntimeException e) {
            unmountAll(done);
            throw e;
        }
        return done;
    }

    private void mountGroup(MultiLayerErofs.Plan plan, List<Path> done) {
        if (mounted.containsKey(plan.target())) { // the same rootfs again: count its users, as for a shared layer
            plan.lowers().forEach(l -> share(l.mountPoint(), done));
            share(plan.target(), done);
            return;
        }
        for (MultiLayerErofs.Lower l : plan.lowers()) {
            Storage s = l.storage();
            String disk = blockDevices.resolve(s.getSource());
            String device = l.partition().isPresent() ? blockDevices.partition(disk, l.partition().getAsInt()) : disk;
            mkdirs(l.mountPoint());
            var params = VerityOptions.parse(s);
            String name = "kcc-" + params.rootHashHex().substring(0, 16) + "-" + shortDigest(l.mountPoint().toString());
            mountVerity(s, params, device, l.mountPoint(), name);
            done.add(l.mountPoint());
        }
        mkdirs(plan.upper().resolve("upper"));
        mkdirs(plan.upper().resolve("work"));
        mkdirs(plan.target());
        mounter.mount("overlay", plan.target(), "overlay", plan.overlayOptions());
        mounted.put(plan.target(), new Mounted(1, null, plan.upper()));
        done.add(plan.target());
        LOG.info("storage mounted driver=multi-layer-erofs target={} layers={}", plan.target(), plan.lowers().size());
    }

    private void share(Path target, List<Path> done) {
        mounted.computeIfPresent(target, (t, m) -> m.shared(1));
        done.add(target);
    }

    private static String shortDigest(String s) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized void unmountAll(List<Path> targets) {
        for (int i = targets.size() - 1; i >= 0; i--) {
            Path t = targets.get(i);
            Mounted m = mounted.get(t);
            if (m == null) {
                continue;
            }
            if (m.refs() > 1) {
                mounted.put(t, m.shared(-1));
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
                    verity.remove(m.dmName());
                } catch (IOException | RuntimeException e) {
                    LOG.warn("removing dm-verity device {}: {}", m.dmName(), e.getMessage());
                }
            }
            if (m.scratch() != null) {
                try {
                    FileTrees.delete(m.scratch()); // what the container wrote: guest memory to give back
                } catch (IOException e) {
                    LOG.warn("deleting {}: {}", m.scratch(), e.getMessage());
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
            mounted.put(target, existing.shared(1));
            LOG.info("storage shared driver={} target={} users={}", s.getDriver(), target, existing.refs() + 1);
            return;
        }
        mkdirs(target);
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
            case "blk" -> {
                // read-only image layer: only through dm-verity with the root hash the policy approved
                var params = VerityOptions.required(s, "storage " + s.getMountPoint());
                mountVerity(s, params, blockDevices.resolve(s.getSource()), target,
                        "kcc-" + params.rootHashHex().substring(0, 16));
            }
            default -> throw new IllegalStateException(s.getDriver());
        }
        LOG.info("storage mounted driver={} target={}", s.getDriver(), target);
    }

    /** Opens {@code device} through dm-verity with the storage's parameters and mounts it read-only. */
    private void mountVerity(Storage s, VerityParams params, String device, Path target, String name) {
        String why = verity.unavailableReason();
        if (why != null) {
            throw new AgentException(AgentException.Kind.FAILED_PRECONDITION, "storage " + s.getMountPoint()
                    + ": cannot open dm-verity: " + why);
        }
        String verified;
        try {
            verified = verity.open(name, device, params);
        } catch (IOException e) {
            throw new AgentException(AgentException.Kind.INTERNAL, "storage " + s.getMountPoint()
                    + ": dm-verity open of " + device + " (" + s.getSource() + ") failed: " + e.getMessage(), e);
        }
        try {
            mounter.mount(verified, target, s.getFstype().isEmpty() ? "erofs" : s.getFstype(), List.of("ro"));
        } catch (RuntimeException e) {
            try {
                verity.remove(name);
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        mounted.put(target, new Mounted(1, name));
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
