package io.katacc.shim.hypervisor;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where a device sits in the guest's PCI tree, in Kata's notation: the slot on the root bus, then the slot
 * behind each bridge, two hex digits each, joined by '/' ("06", or "10/00" for a device behind a root port).
 * The agent walks /sys/devices/pci0000:00 along this path to find the disk, as Kata's agent does.
 */
public record PciPath(List<Integer> slots) {
    public PciPath {
        slots = List.copyOf(slots);
        if (slots.isEmpty() || slots.stream().anyMatch(s -> s < 0 || s > 0x1f)) {
            throw new IllegalArgumentException("PCI path needs 1.. slots of 0x00-0x1f, got " + slots);
        }
    }

    public static PciPath of(Integer... slots) {
        return new PciPath(Arrays.asList(slots));
    }

    /** A device on the root bus from its BDF ("0000:00:06.0"), as Cloud Hypervisor reports hot-plugged devices. */
    public static PciPath fromRootBusBdf(String bdf) {
        if (!bdf.matches("[0-9a-fA-F]{4}:00:[0-9a-fA-F]{2}\\.[0-7]")) {
            throw new IllegalArgumentException("expected a root-bus BDF like 0000:00:06.0, got \"" + bdf + "\"");
        }
        return of(Integer.parseInt(bdf.substring(8, 10), 16));
    }

    @Override
    public String toString() {
        return slots.stream().map(s -> HexFormat.of().toHexDigits(s.byteValue())).collect(Collectors.joining("/"));
    }
}
