package io.katacc.integration.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.katacc.integration.guestimage.GuestImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QemuCommandTest {
    private final GuestImage image = new GuestImage(Path.of("/img"), Path.of("/img/vmlinux"), Path.of("/img/vmlinuz"),
            Path.of("/img/initramfs"), "console=ttyS0 quiet", Map.of());

    private QemuCommand cmd(Accelerator a, int vcpus, int mem, Path sock, String extra) {
        return cmd(a, vcpus, mem, new AgentChannel.VirtioSerial(sock), extra);
    }

    private QemuCommand cmd(Accelerator a, int vcpus, int mem, AgentChannel channel, String extra) {
        return new QemuCommand(Path.of("/usr/bin/qemu-system-x86_64"), image, a, vcpus, mem,
                Path.of("/w/console.log"), channel, extra);
    }

    private static String after(List<String> argv, String flag, String prefix) {
        for (int i = 0; i < argv.size() - 1; i++) {
            if (argv.get(i).equals(flag) && argv.get(i + 1).startsWith(prefix)) {
                return argv.get(i + 1);
            }
        }
        throw new AssertionError("no " + flag + " " + prefix + "... in " + argv);
    }

    @Test
    void agentChannelIsANamedVirtioSerialPortOnAListeningSocket() {
        List<String> argv = cmd(Accelerator.TCG, 1, 512, Path.of("/w/a,b.sock"), "").argv();
        assertEquals("socket,id=agent,path=/w/a,,b.sock,server=on,wait=off", after(argv, "-chardev", "socket"));
        assertEquals("virtserialport,bus=vser0.0,chardev=agent,name=agent.channel.0",
                after(argv, "-device", "virtserialport"));
        assertEquals("q35,accel=tcg", after(argv, "-machine", "q35"));
        assertEquals("max", after(argv, "-cpu", ""));
        assertEquals("console=ttyS0 quiet", after(argv, "-append", ""));
        assertTrue(argv.contains("-no-reboot"), "a guest panic must end QEMU");
        assertEquals("/img/vmlinux", after(argv, "-kernel", ""), "boots the ELF kernel through PVH");
    }

    @Test
    void kvmUsesTheHostCpuAndExtraCmdlineIsAppended() {
        List<String> argv = cmd(Accelerator.KVM, 2, 1024, Path.of("/w/s"), "kcc.switch_root=0").argv();
        assertEquals("q35,accel=kvm", after(argv, "-machine", "q35"));
        assertEquals("host", after(argv, "-cpu", ""));
        assertEquals("console=ttyS0 quiet kcc.switch_root=0", after(argv, "-append", ""));
        assertEquals("1024M", after(argv, "-m", ""));
    }

    @Test
    void vsockChannelUsesVhostVsockWithTheCidAndNoSerialPort() {
        List<String> argv = cmd(Accelerator.KVM, 1, 512, new AgentChannel.Vsock(42), "").argv();
        assertEquals("vhost-vsock-pci,guest-cid=42", after(argv, "-device", "vhost-vsock"));
        assertTrue(argv.stream().noneMatch(s -> s.startsWith("virtserialport") || s.startsWith("virtio-serial")),
                argv.toString());
        assertThrows(IllegalArgumentException.class, () -> new AgentChannel.Vsock(2));
        assertThrows(IllegalArgumentException.class, () -> new AgentChannel.Vsock(0xffff_ffffL));
    }

    @Test
    void badValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> cmd(Accelerator.TCG, 0, 512, Path.of("/w/s"), ""));
        assertThrows(IllegalArgumentException.class, () -> cmd(Accelerator.TCG, 1, 320, Path.of("/w/s"), ""));
        assertEquals("384M", after(cmd(Accelerator.TCG, 1, 384, Path.of("/w/s"), "").argv(), "-m", ""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cmd(Accelerator.TCG, 1, 512, Path.of("/" + "x".repeat(120)), ""));
        assertTrue(e.getMessage().contains("107"), e.getMessage());
    }
}
