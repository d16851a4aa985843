package io.katacc.agent.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** memory.events as cgroup v2 writes it, on a plain directory (inotify sees the same modify events). */
class OomWatcherTest {
    @TempDir
    Path tmp;

    @Test
    void aRisingOomKillCounterIsOneEventPerKill() throws Exception {
        Path cg = Files.createDirectories(tmp.resolve("default/c1"));
        Files.writeString(cg.resolve("memory.events"), "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
        try (OomWatcher w = new OomWatcher()) {
            assertEquals(true, w.watch("c1", cg));
            assertEquals(Optional.of("c1"), w.poll(Duration.ofSeconds(2)), "killed before the watch began: still one event");
            Files.writeString(cg.resolve("memory.events"), "low 0\nhigh 0\nmax 9\noom 1\noom_kill 1\n");
            assertEquals(Optional.empty(), w.poll(Duration.ofMillis(500)), "no new kill, no event");
            Files.writeString(cg.resolve("memory.events"), "low 0\nhigh 0\nmax 12\noom 3\noom_kill 3\n");
            assertEquals(Optional.of("c1"), w.poll(Duration.ofSeconds(10)));
            assertEquals(Optional.of("c1"), w.poll(Duration.ofSeconds(10)), "two kills since the last look");
            w.forget("c1");
            Files.writeString(cg.resolve("memory.events"), "oom_kill 4\n");
            assertEquals(Optional.empty(), w.poll(Duration.ofMillis(500)), "a forgotten container reports nothing");
            assertEquals(false, w.watch("c2", tmp.resolve("none")), "no memory.events, nothing to watch");
        }
    }

    @Test
    void cgroupDirectoryComesFromProcSelfCgroup() throws Exception {
        Path proc = Files.createDirectories(tmp.resolve("proc/42"));
        Files.writeString(proc.resolve("cgroup"), "0::/default/c1\n");
        assertEquals(Optional.of(tmp.resolve("cg/default/c1")), OomWatcher.cgroupDirOf(42, tmp.resolve("proc"), tmp.resolve("cg")));
        Files.writeString(proc.resolve("cgroup"), "4:memory:/x\n");
        assertEquals(Optional.empty(), OomWatcher.cgroupDirOf(42, tmp.resolve("proc"), tmp.resolve("cg")), "cgroup v1 only");
        assertEquals(Optional.empty(), OomWatcher.cgroupDirOf(7, tmp.resolve("proc"), tmp.resolve("cg")), "gone process");
    }
}
