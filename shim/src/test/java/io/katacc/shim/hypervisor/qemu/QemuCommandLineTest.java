package io.katacc.shim.hypervisor.qemu;

import io.katacc.shim.hypervisor.BlockDevice;
import io.katacc.shim.hypervisor.VmSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class QemuCommandLineTest {
    private static VmSpec spec(boolean snp) {
        byte[] hd = new byte[32];
        hd[0] = 1;
        hd[31] = (byte) 0xff;
        return new VmSpec("pod1", 1, 2, 256, Optional.of(Path.of("/k/vmlinuz")), Optional.of(Path.of("/k/initrd")),
                Optional.empty(), Optional.empty(), List.of("console=ttyS0", "quiet"), snp, snp ? hd : new byte[0],
                List.of(new BlockDevice("layer0", Path.of("/l/a,b.erofs"), true)), Path.of("/st"));
    }

    private static QemuOptions opts(boolean kvm, boolean vsock, QemuVersion v) {
        return new QemuOptions(Path.of("/usr/bin/qemu-system-x86_64"), kvm, vsock, v, 2, false);
    }

    private static String after(List<String> argv, String flag, String prefix) {
        for (int i = 0; i + 1 < argv.size(); i++) {
            if (argv.get(i).equals(flag) && argv.get(i + 1).startsWith(prefix)) {
                return argv.get(i + 1);
            }
        }
        throw new AssertionError("no " + flag + " " + prefix + "... in " + argv);
    }

    @Test
    void tcgWithVirtioSerialAgentChannel() {
        List<String> a = QemuCommandLine.build(spec(false), opts(false, false, new QemuVersion(7, 2)),
                Path.of("/st/qmp.sock"), Path.of("/st/agent,1.sock"), Path.of("/st/console.log"));
        assertEquals("/usr/bin/qemu-system-x86_64", a.getFirst());
        assertEquals("q35,accel=tcg", after(a, "-machine", "q35"));
        assertEquals("1,maxcpus=2", after(a, "-smp", ""));
        assertEquals("256M", after(a, "-m", ""));
        assertEquals("console=ttyS0 quiet", after(a, "-append", ""));
        assertEquals("unix:/st/qmp.sock,server=on,wait=off", after(a, "-qmp", ""));
        assertEquals("socket,id=agent,path=/st/agent,,1.sock,server=on,wait=off", after(a, "-chardev", "socket"));
        assertEquals("virtserialport,bus=vser0.0,chardev=agent,name=agent.channel.0", after(a, "-device", "virtserialport"));
        assertEquals("file=/l/a,,b.erofs,if=none,id=layer0,format=raw,readonly=on", after(a, "-drive", ""));
        assertEquals("virtio-blk-pci,drive=layer0,id=dev-layer0", after(a, "-device", "virtio-blk-pci"));
        assertEquals("pcie-root-port,id=hp1,bus=pcie.0,chassis=2,addr=0x11", after(a, "-device", "pcie-root-port,id=hp1"));
        assertFalse(a.stream().anyMatch(s -> s.contains("sev-snp")), "no SNP object outside SNP");
        assertFalse(a.contains("-S"));
    }

    @Test
    void vhostVsockReplacesTheSerialPort() {
        List<String> a = QemuCommandLine.build(spec(false), opts(true, true, new QemuVersion(8, 0)),
                Path.of("/q"), Path.of("/a"), Path.of("/c"));
        assertEquals("vhost-vsock-pci,guest-cid=3", after(a, "-device", "vhost-vsock"));
        assertTrue(a.stream().noneMatch(s -> s.startsWith("virtserialport") || s.startsWith("virtio-serial")));
        assertEquals("host", after(a, "-cpu", ""));
        assertEquals("q35,accel=kvm", after(a, "-machine", ""));
    }

    @Test
    void snpCarriesHostDataOnNewEnoughQemuOnly() {
        List<String> a = QemuCommandLine.build(spec(true), opts(true, false, new QemuVersion(9, 1)),
                Path.of("/q"), Path.of("/a"), Path.of("/c"));
        String snp = after(a, "-object", "sev-snp-guest");
        String expectedHostData = Base64.getEncoder().encodeToString(spec(true).hostData());
        assertTrue(snp.endsWith(",host-data=" + expectedHostData), snp);
        assertEquals("q35,accel=kvm,confidential-guest-support=snp0,memory-backend=ram0", after(a, "-machine", ""));
        assertEquals("memory-backend-memfd,id=ram0,size=256M,share=true", after(a, "-object", "memory-backend"));

        var old = assertThrows(UnsupportedOperationException.class, () -> QemuCommandLine.build(spec(true),
                opts(true, false, new QemuVersion(7, 2)), Path.of("/q"), Path.of("/a"), Path.of("/c")));
        assertEquals("SEV-SNP guests with host-data need QEMU 9.1 or newer; /usr/bin/qemu-system-x86_64 is 7.2", old.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> QemuCommandLine.build(spec(true),
                opts(false, false, new QemuVersion(9, 2)), Path.of("/q"), Path.of("/a"), Path.of("/c")));
    }

    @Test
    void versionParsing() {
        assertEquals(new QemuVersion(7, 2), QemuVersion.parse("QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)\n"));
        assertTrue(new QemuVersion(10, 0).atLeast(9, 1));
        assertFalse(new QemuVersion(9, 0).atLeast(9, 1));
        assertThrows(IllegalArgumentException.class, () -> QemuVersion.parse("qemu-img version 7.2"));
    }
}
