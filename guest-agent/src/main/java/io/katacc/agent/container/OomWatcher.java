package io.katacc.agent.container;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OOM kills of containers, for GetOOMEvent: the kernel notifies a change of a cgroup v2 {@code memory.events}
 * (inotify, which Java's WatchService uses on Linux); a rise of its {@code oom_kill} counter is one event.
 * Watching starts with the container, so the event is seen before runc removes the cgroup.
 * The guest mounts cgroup v2 only; cgroup v1 (eventfd on memory.oom_control) is not watched.
 */
public final class OomWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OomWatcher.class);
    private static final String EVENTS = "memory.events";

    private record Watched(String containerId, Path dir, long kills) {
    }

    private final WatchService ws;
    private final Map<WatchKey, Watched> byKey = new ConcurrentHashMap<>();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final Thread loop;

    public OomWatcher() {
        try {
            ws = FileSystems.getDefault().newWatchService();
        } catch (IOException e) {
            throw new IllegalStateException("no inotify: " + e.getMessage(), e);
        }
        loop = Thread.ofVirtual().name("oom-watch").start(this::run);
    }

    /**
     * Starts watching the container whose cgroup is {@code dir} (created for it: its counter starts at 0);
     * false if it has no memory.events.
     */
    public boolean watch(String containerId, Path dir) {
        Path f = dir.resolve(EVENTS);
        if (!Files.isReadable(f)) {
            return false;
        }
        try {
            WatchKey k = dir.register(ws, StandardWatchEventKinds.ENTRY_MODIFY);
            // the cgroup is the container's own, so its count started at 0: a kill in the moment between the
            // process start and this registration still counts (checked right away, not only on a change)
            Watched w = new Watched(containerId, dir, 0);
            byKey.put(k, w);
            check(k, w);
            return true;
        } catch (IOException e) {
            LOG.warn("cannot watch {} for OOM kills: {}", f, e.getMessage());
            return false;
        }
    }

    public void forget(String containerId) {
        byKey.entrySet().removeIf(e -> {
            if (e.getValue().containerId().equals(containerId)) {
                e.getKey().cancel();
                return true;
            }
            return false;
        });
    }

    /** The next OOM-killed container, or empty after {@code timeout}. */
    public Optional<String> poll(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    private void run() {
        try {
            while (true) {
                WatchKey k = ws.take();
                List<WatchEvent<?>> evs = k.pollEvents();
                Watched w = byKey.get(k);
                if (w != null && evs.stream().anyMatch(e -> EVENTS.equals(String.valueOf(e.context()))
                        || e.kind() == StandardWatchEventKinds.OVERFLOW)) {
                    check(k, w);
                }
                if (!k.reset()) {
                    byKey.remove(k); // the cgroup is gone
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    private void check(WatchKey k, Watched w) {
        long now;
        try {
            now = oomKills(w.dir().resolve(EVENTS));
        } catch (IOException e) {
            return; // removed in between
        }
        if (now > w.kills()) {
            byKey.replace(k, w, new Watched(w.containerId(), w.dir(), now));
            for (long i = w.kills(); i < now; i++) {
                events.add(w.containerId());
            }
            LOG.info("container {} OOM-killed (oom_kill {} -> {})", w.containerId(), w.kills(), now);
        }
    }

    static long oomKills(Path memoryEvents) throws IOException {
        for (String line : Files.readAllLines(memoryEvents)) {
            if (line.startsWith("oom_kill ")) {
                return Long.parseLong(line.substring("oom_kill ".length()).strip());
            }
        }
        return 0;
    }

    /** The cgroup v2 directory of a process, from /proc/PID/cgroup ("0::/path"). */
    static Optional<Path> cgroupDirOf(long pid, Path proc, Path cgroupRoot) {
        try {
            for (String line : Files.readAllLines(proc.resolve(pid + "/cgroup"))) {
                if (line.startsWith("0::")) {
                    String rel = line.substring(3);
                    return Optional.of(cgroupRoot.resolve(rel.startsWith("/") ? rel.substring(1) : rel));
                }
            }
        } catch (IOException e) {
            // the process is already gone
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        try {
            ws.close();
        } catch (IOException ignored) {
            // closing
        }
        loop.interrupt();
    }
}
