package io.katacc.agent.guest;

import io.katacc.agent.error.AgentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * OnlineCPUMem as Kata's agent does it: hot-plugged CPUs and memory blocks appear offline in sysfs
 * ({@code .../cpuN/online} or {@code .../memoryN/online} reading 0) and are onlined by writing 1. When a CPU
 * count is requested the CPUs may still be arriving, so the scan is retried until that many were onlined.
 */
public final class HotplugOnliner {

    private static final Pattern CPU = Pattern.compile("cpu\\d+");
    private static final Pattern MEMORY = Pattern.compile("memory\\d+");

    private final Path sysRoot;
    private final int retries;
    private final Duration retryInterval;

    /** @param sysRoot the sysfs mount ({@code /sys} in the guest; a temp tree in tests) */
    public HotplugOnliner(Path sysRoot, int retries, Duration retryInterval) {
        this.sysRoot = sysRoot;
        this.retries = retries;
        this.retryInterval = retryInterval;
    }

    public HotplugOnliner() {
        this(Path.of("/sys"), 100, Duration.ofMillis(50));
    }

    /** @param nbCpus CPUs expected to come online (0: whatever is offline now) */
    public void online(int nbCpus, boolean cpuOnly) {
        if (nbCpus < 0) {
            throw AgentException.invalid("OnlineCPUMem: nb_cpus " + Integer.toUnsignedString(nbCpus) + " is out of range");
        }
        Path cpus = sysRoot.resolve("devices/system/cpu");
        int onlined = onlineAll(cpus, CPU);
        for (int attempt = 1; onlined < nbCpus && attempt < retries; attempt++) {
            sleep();
            onlined += onlineAll(cpus, CPU);
        }
        if (onlined < nbCpus) {
            throw new AgentException(AgentException.Kind.FAILED_PRECONDITION,
                    "OnlineCPUMem: onlined " + onlined + " of " + nbCpus + " requested CPUs");
        }
        if (!cpuOnly) {
            onlineAll(sysRoot.resolve("devices/system/memory"), MEMORY);
        }
    }

    /** Writes 1 to every {@code <dir>/<name>/online} reading 0; returns how many it onlined. */
    private static int onlineAll(Path dir, Pattern name) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        List<Path> offline = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path e : entries.sorted().toList()) {
                Path online = e.resolve("online");
                if (name.matcher(e.getFileName().toString()).matches() && Files.isRegularFile(online)
                        && Files.readString(online).strip().equals("0")) {
                    offline.add(online);
                }
            }
            for (Path online : offline) {
                Files.writeString(online, "1");
            }
        } catch (IOException e) {
            throw new AgentException(AgentException.Kind.INTERNAL, "OnlineCPUMem: " + e.getMessage(), e);
        }
        return offline.size();
    }

    private void sleep() {
        try {
            Thread.sleep(retryInterval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(AgentException.Kind.INTERNAL, "OnlineCPUMem: interrupted");
        }
    }
}
