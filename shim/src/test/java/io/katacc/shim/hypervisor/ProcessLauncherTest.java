package io.katacc.shim.hypervisor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Shim death must not leak the VM: a VMM started through ProcessLauncher dies when the shim is SIGKILLed. */
@Timeout(120)
class ProcessLauncherTest {
    @Test
    void vmmDiesWithTheShim() throws Exception {
        assumeTrue(new ProcessLauncher().killsChildrenOnShimDeath(), "setpriv (util-linux) not installed");
        Process shim = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LauncherChild.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long vmPid;
        try (var in = new BufferedReader(new InputStreamReader(shim.getInputStream(), StandardCharsets.UTF_8))) {
            vmPid = Long.parseLong(in.readLine().trim());
        }
        ProcessHandle vm = ProcessHandle.of(vmPid).orElseThrow();
        try {
            assertTrue(vm.isAlive());
            Thread.sleep(300);
            assertTrue(vm.isAlive(), "the VMM outlives the virtual thread that asked for it");
            shim.destroyForcibly(); // SIGKILL: no shutdown hooks run
            assertTrue(shim.waitFor(30, TimeUnit.SECONDS));
            for (int i = 0; i < 100 && vm.isAlive(); i++) {
                Thread.sleep(100);
            }
            assertFalse(vm.isAlive(), "VMM killed by the parent-death signal");
        } finally {
            vm.destroyForcibly();
        }
    }
}
