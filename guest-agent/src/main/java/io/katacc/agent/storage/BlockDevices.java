package io.katacc.agent.storage;

import io.katacc.agent.error.AgentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the guest block device a {@code blk} storage names. Kata's shim names a virtio-blk disk by its PCI
 * path ("10/00": slot 0x10 on the root bus, then slot 0 behind that bridge); the agent walks sysfs along it.
 * A hot-plugged disk appears some time after the host's device_add, so the lookup waits.
 */
public final class BlockDevices {
    private static final Pattern PCI_PATH = Pattern.compile("[0-9a-f]{2}(/[0-9a-f]{2})*");

    private final Path sysDevices;
    private final Path dev;
    private final Duration timeout;

    public BlockDevices(Path sysDevices, Path dev, Duration timeout) {
        this.sysDevices = sysDevices;
        this.dev = dev;
        this.timeout = timeout;
    }

    public static BlockDevices guest() {
        return new BlockDevices(Path.of("/sys/devices"), Path.of("/dev"), Duration.ofSeconds(30));
    }

    /** The /dev path of the disk {@code source} names: a PCI path, or a device path as is. */
    public String resolve(String source) {
        if (source.startsWith("/dev/")) {
            return source;
        }
        if (!PCI_PATH.matcher(source).matches()) {
            throw AgentException.invalid("blk storage source '" + source
                    + "' is neither a PCI path (like 10/00) nor a /dev path");
        }
        Optional<String> node = await(source, timeout, 50, () -> find(source)
                .filter(name -> Files.exists(dev.resolve(name))).map(name -> dev.resolve(name).toString()));
        return node.orElseThrow(() -> {
            Optional<String> name = find(source);
            return new AgentException(AgentException.Kind.NOT_FOUND, "no block device at PCI path " + source
                    + " after " + timeout.toSeconds() + "s"
                    + (name.isPresent() ? " (sysfs names " + name.get() + ", but " + dev + " has no node)" : ""));
        });
    }

    /** Partition {@code n} of disk {@code disk} (vda -> vda1, nvme0n1 -> nvme0n1p1), once its node exists. */
    public String partition(String disk, int n) {
        String name = disk + (Character.isDigit(disk.charAt(disk.length() - 1)) ? "p" : "") + n;
        Duration wait = timeout.compareTo(Duration.ofSeconds(5)) < 0 ? timeout : Duration.ofSeconds(5);
        return await(name, wait, 20, () -> Optional.of(name).filter(p -> Files.exists(Path.of(p))))
                .orElseThrow(() -> new AgentException(AgentException.Kind.NOT_FOUND, "partition " + n + " of " + disk
                        + " (" + name + ") did not appear"));
    }

    /** Polls {@code probe} every {@code pollMillis} until it answers or {@code limit} has passed. */
    private static Optional<String> await(String what, Duration limit, long pollMillis, Supplier<Optional<String>> probe) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Optional<String> found = probe.get();
            if (found.isPresent() || System.nanoTime() > deadline) {
                return found;
            }
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AgentException(AgentException.Kind.INTERNAL, "interrupted waiting for " + what, e);
            }
        }
    }

    /** The kernel's name (vda, ...) of the disk at that PCI path, if it has appeared. */
    Optional<String> find(String pciPath) {
        String[] slots = pciPath.split("/");
        Path at = sysDevices.resolve("pci0000:00").resolve("0000:00:" + slots[0] + ".0");
        for (int i = 1; i < slots.length && at != null; i++) {
            at = child(at, Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:" + slots[i] + "\\.0"));
        }
        if (at == null || !Files.isDirectory(at)) {
            return Optional.empty();
        }
        Path virtio = child(at, Pattern.compile("virtio[0-9]+"));
        Path block = (virtio == null ? at : virtio).resolve("block");
        try (Stream<Path> s = Files.list(block)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            return names.isEmpty() ? Optional.empty() : Optional.of(names.getFirst());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Path child(Path dir, Pattern name) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> name.matcher(p.getFileName().toString()).matches()).sorted().findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }
}
