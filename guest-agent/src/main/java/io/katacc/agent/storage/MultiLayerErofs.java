package io.katacc.agent.storage;

import io.katacc.agent.api.Storage;
import io.katacc.agent.error.AgentException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;

/**
 * Kata's multi-layer EROFS rootfs (runtime-rs with containerd's erofs snapshotter, agent
 * {@code storage/multi_layer_erofs.rs}): the storages of one request that carry {@code X-kata.multi-layer=true}
 * (or driver {@code erofs.multi-layer}) form one group. Lowers ({@code X-kata.overlay-lower}, or fstype erofs)
 * are each mounted read-only at {@code <dir>/multi-layer/lower-<i>}, then an overlay at the group's mount point
 * stacks them in request order (lower-0 on top) under an upper layer in guest memory. With
 * {@code X-kata.gpt-partitioned=true} all lowers name one disk and {@code X-kata.partition-number=N} its
 * partitions, in partition order.
 *
 * <p>Deliberately stricter than Kata's agent, since here the host is not trusted: every lower must be
 * dm-verity protected (Kata's agent allows unverified lowers, and verity only on GPT disks; we take it on a
 * whole disk too), and a host-provided ext4 upper ({@code X-kata.overlay-upper}) is refused, as the host could
 * read and rewrite what the container writes there.
 */
public final class MultiLayerErofs {

    static final String MULTI_LAYER = "X-kata.multi-layer=true";
    static final String DRIVER = "erofs.multi-layer";
    private static final String LOWER = "X-kata.overlay-lower";
    private static final String UPPER = "X-kata.overlay-upper";
    private static final String GPT = "X-kata.gpt-partitioned=true";
    private static final String PARTITION = "X-kata.partition-number=";
    private static final String MKDIR = "X-kata.mkdir.path=";

    /** One lower layer: its storage, where it is mounted, its partition on a GPT disk. */
    public record Lower(Storage storage, Path mountPoint, OptionalInt partition) {
    }

    /** What to mount: the lowers in overlay order (top first), then the overlay at {@code target}. */
    public record Plan(Path target, Path upper, List<Lower> lowers) {
        /** {@code upperdir=}, {@code workdir=} and {@code lowerdir=} for the overlay. */
        public List<String> overlayOptions() {
            List<String> dirs = lowers.stream().map(l -> l.mountPoint().toString()).toList();
            return List.of("lowerdir=" + String.join(":", dirs), "upperdir=" + upper.resolve("upper"),
                    "workdir=" + upper.resolve("work"));
        }
    }

    private MultiLayerErofs() {
    }

    public static boolean isMember(Storage s) {
        return s.getDriver().equals(DRIVER) || s.getOptionsList().contains(MULTI_LAYER);
    }

    /**
     * @param members the group (all {@link #isMember} storages of one request), in request order
     * @param target  the overlay's mount point (the group's mount point, mapped into the run directory)
     */
    public static Plan plan(List<Storage> members, Path target) {
        List<Storage> lowers = new ArrayList<>();
        for (Storage s : members) {
            List<String> opts = s.getOptionsList();
            String where = "multi-layer storage " + s.getMountPoint() + ": ";
            if (opts.contains(UPPER) || s.getFstype().equals("ext4")) {
                throw new AgentException(AgentException.Kind.FAILED_PRECONDITION, where + "a writable upper layer on a host"
                        + " disk (" + s.getDriver() + " " + s.getSource() + ") is refused: the host could read and change"
                        + " what the container writes; the upper layer is kept in guest memory");
            }
            if (!opts.contains(LOWER) && !s.getFstype().equals("erofs")) {
                throw AgentException.invalid(where + "neither " + LOWER + " nor fstype erofs (got '" + s.getFstype() + "')");
            }
            if (opts.stream().anyMatch(o -> o.startsWith(MKDIR))) {
                throw new AgentException(AgentException.Kind.UNIMPLEMENTED, where + MKDIR + " is not supported by this agent");
            }
            if (!s.getMountPoint().equals(members.getFirst().getMountPoint())) {
                throw AgentException.invalid(where + "the layers of one multi-layer rootfs must share a mount point ("
                        + members.getFirst().getMountPoint() + ")");
            }
            if (!s.getDriver().equals("blk")) {
                throw new AgentException(s.getDriver().equals("scsi") ? AgentException.Kind.UNIMPLEMENTED
                        : AgentException.Kind.INVALID_ARGUMENT,
                        where + "unsupported driver type '" + s.getDriver() + "' for multi-layer erofs (supported: blk)");
            }
            VerityOptions.required(s, "multi-layer storage " + s.getMountPoint());
            lowers.add(s);
        }
        if (lowers.isEmpty()) {
            throw AgentException.invalid("multi-layer storage group has no lower layer");
        }
        boolean gpt = lowers.getFirst().getOptionsList().contains(GPT);
        for (Storage s : lowers) {
            if (s.getOptionsList().contains(GPT) != gpt) {
                throw AgentException.invalid("multi-layer storage " + s.getMountPoint()
                        + ": GPT-partitioned and whole-disk layers are mixed");
            }
            if (gpt) {
                partition(s); // refuses a missing or bad partition number before anything is sorted by it
            }
        }
        if (gpt) {
            lowers.sort(Comparator.comparingInt(MultiLayerErofs::partition));
            if (lowers.stream().map(Storage::getSource).distinct().count() != 1) {
                throw AgentException.invalid("multi-layer storage " + target + ": GPT layers must name one disk");
            }
        }
        Path dir = target.resolveSibling("multi-layer");
        List<Lower> planned = new ArrayList<>();
        for (int i = 0; i < lowers.size(); i++) {
            Storage s = lowers.get(i);
            planned.add(new Lower(s, dir.resolve("lower-" + i), gpt ? OptionalInt.of(partition(s)) : OptionalInt.empty()));
        }
        return new Plan(target, dir.resolve("upper"), List.copyOf(planned));
    }

    private static int partition(Storage s) {
        String v = s.getOptionsList().stream().filter(o -> o.startsWith(PARTITION)).findFirst()
                .map(o -> o.substring(PARTITION.length()))
                .orElseThrow(() -> AgentException.invalid("multi-layer storage " + s.getMountPoint() + ": " + GPT
                        + " without " + PARTITION));
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw AgentException.invalid("multi-layer storage " + s.getMountPoint() + ": " + PARTITION + "'" + v
                    + "' is not a partition number");
        }
    }
}
