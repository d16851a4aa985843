package io.katacc.snp.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/**
 * The kernel's configfs-tsm report interface (Linux 6.7+): mkdir an entry under
 * /sys/kernel/config/tsm/report, write inblob (64 bytes) and privlevel, read outblob (the report)
 * and auxblob (the certificate table). generation guards against a concurrent writer.
 */
public final class ConfigfsTsmReport {
    public static final Path DEFAULT_ROOT = Path.of("/sys/kernel/config/tsm/report");
    private final Path root;

    public ConfigfsTsmReport(Path root) {
        this.root = root;
    }

    public boolean available() {
        return Files.isDirectory(root);
    }

    public record Result(byte[] report, Optional<byte[]> auxblob, String provider) {
    }

    public Result report(byte[] userData64, int privlevel) {
        if (userData64 == null || userData64.length != 64) {
            throw new IllegalArgumentException("user data must be exactly 64 bytes");
        }
        if (!available()) {
            throw new SevGuestException(root + " does not exist: the kernel has no configfs-tsm report support "
                    + "(needs CONFIG_TSM_REPORTS and configfs mounted)", (FirmwareError) null);
        }
        Path entry = root.resolve("kcc-" + UUID.randomUUID());
        try {
            Files.createDirectory(entry);
            try {
                if (privlevel != 0) {
                    Files.writeString(entry.resolve("privlevel"), Integer.toString(privlevel));
                }
                Files.write(entry.resolve("inblob"), userData64);
                String gen = Files.readString(entry.resolve("generation")).trim();
                byte[] out = Files.readAllBytes(entry.resolve("outblob"));
                Path aux = entry.resolve("auxblob");
                Optional<byte[]> auxBytes = Files.exists(aux) ? Optional.of(Files.readAllBytes(aux)) : Optional.empty();
                String provider = Files.readString(entry.resolve("provider")).trim();
                if (!gen.equals(Files.readString(entry.resolve("generation")).trim())) {
                    throw new SevGuestException("configfs-tsm entry " + entry + " was rewritten concurrently",
                            (FirmwareError) null);
                }
                return new Result(out, auxBytes, provider);
            } finally {
                Files.deleteIfExists(entry);
            }
        } catch (IOException e) {
            throw new SevGuestException("configfs-tsm report via " + entry + " failed: " + e.getMessage(), e);
        }
    }
}
