package io.katacc.verity.dm;

/** An opened dm-verity mapping: {@code path} is the read-only block device to mount. */
public record VerityDevice(String name, String path, int major, int minor) {
}
