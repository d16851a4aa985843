package io.katacc.shim.hypervisor;

import java.nio.file.Path;

/** A host file attached to the guest as a virtio-blk disk; {@code id} is how we unplug it later. */
public record BlockDevice(String id, Path path, boolean readOnly) {
    public BlockDevice {
        if (!id.matches("[A-Za-z0-9_.-]{1,32}")) {
            throw new IllegalArgumentException("device id must be 1-32 of [A-Za-z0-9_.-], got \"" + id + "\"");
        }
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("disk path must be absolute: " + path);
        }
    }
}
