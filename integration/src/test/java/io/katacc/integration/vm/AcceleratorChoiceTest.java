package io.katacc.integration.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcceleratorChoiceTest {
    @TempDir
    Path dir;

    private AcceleratorChoice detect(String override, String... modules) throws Exception {
        Path sys = Files.createDirectories(dir.resolve("sys/module"));
        for (String m : modules) {
            Files.createDirectories(sys.resolve(m));
        }
        Path kvm = dir.resolve("kvm");
        Files.writeString(kvm, "");
        return AcceleratorChoice.detect(override, kvm, sys);
    }

    @Test
    void hardwareKvmIsUsed() throws Exception {
        assertEquals(Accelerator.KVM, detect("", "kvm", "kvm_amd").accelerator());
        assertEquals(Accelerator.KVM, AcceleratorChoice.detect("", dir.resolve("kvm"), dir.resolve("sys/module"))
                .accelerator());
    }

    @Test
    void pagetableKvmFallsBackToTcgAndSaysWhy() throws Exception {
        AcceleratorChoice c = detect("", "kvm", "kvm_pvm");
        assertEquals(Accelerator.TCG, c.accelerator());
        assertTrue(c.reason().contains("kvm_pvm"), c.reason());
    }

    @Test
    void noDeviceMeansTcg() {
        AcceleratorChoice c = AcceleratorChoice.detect("", dir.resolve("absent"), dir);
        assertEquals(Accelerator.TCG, c.accelerator());
        assertTrue(c.reason().contains("does not exist"), c.reason());
    }

    @Test
    void overrideWinsAndBadOverrideIsRejected() throws Exception {
        assertEquals(Accelerator.TCG, detect("tcg", "kvm_intel").accelerator());
        assertEquals(Accelerator.KVM, detect("KVM", "kvm_pvm").accelerator());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> detect("hvf"));
        assertTrue(e.getMessage().contains("hvf"), e.getMessage());
    }
}
