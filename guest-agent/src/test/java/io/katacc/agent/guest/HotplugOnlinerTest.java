package io.katacc.agent.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.katacc.agent.error.AgentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OnlineCPUMem against a fake sysfs tree. */
class HotplugOnlinerTest {

    @TempDir
    Path sys;

    private Path node(String kind, String name, String value) throws Exception {
        Path d = sys.resolve("devices/system").resolve(kind).resolve(name);
        Files.createDirectories(d);
        return Files.writeString(d.resolve("online"), value);
    }

    private static String read(Path p) throws Exception {
        return Files.readString(p).strip();
    }

    @Test
    void onlinesOfflineCpusAndMemoryBlocksOnly() throws Exception {
        Path cpu1 = node("cpu", "cpu1", "0\n");
        Path cpu2 = node("cpu", "cpu2", "1\n");
        Path mem7 = node("memory", "memory7", "0\n");
        Path notCpu = node("cpu", "cpufreq", "0\n");
        new HotplugOnliner(sys, 3, Duration.ofMillis(1)).online(1, false);
        assertEquals("1", read(cpu1));
        assertEquals("1", read(cpu2));
        assertEquals("1", read(mem7));
        assertEquals("0", read(notCpu), "only cpuN entries are touched");
    }

    @Test
    void cpuOnlyLeavesMemoryAlone() throws Exception {
        Path cpu3 = node("cpu", "cpu3", "0");
        Path mem1 = node("memory", "memory1", "0");
        new HotplugOnliner(sys, 3, Duration.ofMillis(1)).online(0, true);
        assertEquals("1", read(cpu3));
        assertEquals("0", read(mem1));
    }

    @Test
    void tooFewCpusAfterRetriesIsAClearError() throws Exception {
        node("cpu", "cpu1", "0");
        Path mem1 = node("memory", "memory1", "0");
        AgentException e = assertThrows(AgentException.class,
                () -> new HotplugOnliner(sys, 3, Duration.ofMillis(1)).online(2, false));
        assertEquals(AgentException.Kind.FAILED_PRECONDITION, e.kind());
        assertTrue(e.getMessage().contains("onlined 1 of 2"), e.getMessage());
        assertEquals("0", read(mem1), "memory not onlined after the CPU step failed");
    }

    @Test
    void cpusArrivingLaterAreOnlinedByTheRetries() throws Exception {
        Path cpu1 = node("cpu", "cpu1", "0");
        Thread late = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(30);
                node("cpu", "cpu2", "0");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        new HotplugOnliner(sys, 200, Duration.ofMillis(5)).online(2, true);
        late.join();
        assertEquals("1", read(cpu1));
        assertEquals("1", read(sys.resolve("devices/system/cpu/cpu2/online")));
    }
}
