package io.katacc.integration.vm;

import io.katacc.integration.guestimage.GuestImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The QEMU command line that boots a guest image with its agent channel: a virtio-serial port named
 * {@value #AGENT_PORT_NAME} backed by a host unix socket QEMU listens on, or vhost-vsock.
 *
 * @param qemu          qemu-system-x86_64 binary
 * @param image         kernel + initramfs + base command line
 * @param accelerator   KVM or TCG
 * @param vcpus         number of vCPUs
 * @param memoryMiB     guest RAM
 * @param consoleLog    file receiving the guest's serial console
 * @param agentChannel  virtio-serial socket or vsock CID
 * @param extraCmdline  appended to the image's kernel command line (may be empty)
 */
public record QemuCommand(Path qemu, GuestImage image, Accelerator accelerator, int vcpus, int memoryMiB,
        Path consoleLog, AgentChannel agentChannel, String extraCmdline) {

    public static final String AGENT_PORT_NAME = "agent.channel.0";
    /** Smallest guest RAM that boots the uncompressed image (measured: 384 boots, 320 does not). */
    public static final int MIN_MEMORY_MIB = 384;

    public QemuCommand {
        if (vcpus < 1) {
            throw new IllegalArgumentException("vcpus must be >= 1, got " + vcpus);
        }
        if (memoryMiB < MIN_MEMORY_MIB) {
            // The kernel holds the ~100 MiB archive and its unpacked copy at once; 320 MiB panics.
            throw new IllegalArgumentException(
                    "memoryMiB must be >= " + MIN_MEMORY_MIB + " for this image, got " + memoryMiB);
        }
    }

    public List<String> argv() {
        String cmdline = extraCmdline.isBlank() ? image.cmdline() : image.cmdline() + " " + extraCmdline.strip();
        List<String> a = new ArrayList<>();
        a.add(qemu.toString());
        a.addAll(List.of("-machine", "q35,accel=" + accelerator.qemuName()));
        a.addAll(List.of("-cpu", accelerator.cpuModel()));
        a.addAll(List.of("-smp", Integer.toString(vcpus)));
        a.addAll(List.of("-m", memoryMiB + "M"));
        a.addAll(List.of("-nographic", "-nodefaults", "-no-user-config", "-no-reboot", "-monitor", "none"));
        a.addAll(List.of("-kernel", image.kernel().toString()));
        a.addAll(List.of("-initrd", image.initramfs().toString()));
        a.addAll(List.of("-append", cmdline));
        a.addAll(List.of("-chardev", "file,id=console,path=" + qemuOption(consoleLog)));
        a.addAll(List.of("-serial", "chardev:console"));
        a.addAll(List.of("-device", "virtio-rng-pci"));
        switch (agentChannel) {
            case AgentChannel.VirtioSerial serial -> {
                a.addAll(List.of("-device", "virtio-serial-pci,id=vser0"));
                a.addAll(List.of("-chardev",
                        "socket,id=agent,path=" + qemuOption(serial.hostSocket()) + ",server=on,wait=off"));
                a.addAll(List.of("-device", "virtserialport,bus=vser0.0,chardev=agent,name=" + AGENT_PORT_NAME));
            }
            case AgentChannel.Vsock vsock ->
                    a.addAll(List.of("-device", "vhost-vsock-pci,guest-cid=" + vsock.guestCid()));
        }
        return List.copyOf(a);
    }

    /** QEMU option values escape a comma by doubling it. */
    private static String qemuOption(Path p) {
        return p.toString().replace(",", ",,");
    }
}
