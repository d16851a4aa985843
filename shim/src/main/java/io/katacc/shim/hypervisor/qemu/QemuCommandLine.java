package io.katacc.shim.hypervisor.qemu;

import io.katacc.shim.hypervisor.BlockDevice;
import io.katacc.shim.hypervisor.VmSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Builds the {@code qemu-system-x86_64} argv for one sandbox VM. */
public final class QemuCommandLine {
    public static final String AGENT_PORT_NAME = "agent.channel.0";
    public static final String LOG_PORT_NAME = "agent.log.0";
    public static final int VSOCK_AGENT_CID = 3;
    private static final int FIRST_HOTPLUG_SLOT = 0x10;
    public static final int MAX_HOTPLUG_PORTS = 0x1f - FIRST_HOTPLUG_SLOT; // 0x1f is the ICH9 LPC bridge

    private QemuCommandLine() {
    }

    /**
     * @param qmpSocket   QMP control socket (server side, created by QEMU)
     * @param agentSocket host side of the virtio-serial agent port (ignored with vhost-vsock)
     * @param consoleLog  guest serial console output
     */
    public static List<String> build(VmSpec spec, QemuOptions opt, Path qmpSocket, Path agentSocket, Path consoleLog) {
        if (spec.snp() && !opt.version().atLeast(9, 1)) {
            throw new UnsupportedOperationException("SEV-SNP guests with host-data need QEMU 9.1 or newer; "
                    + opt.binary() + " is " + opt.version());
        }
        if (spec.snp() && !opt.kvm()) {
            throw new UnsupportedOperationException("SEV-SNP guests need KVM; TCG cannot run a confidential guest");
        }
        if (spec.kernel().isEmpty()) {
            throw new UnsupportedOperationException("the QEMU backend boots a kernel; IGVM payloads are Cloud Hypervisor only");
        }
        List<String> a = new ArrayList<>();
        a.add(opt.binary().toString());
        a.addAll(List.of("-name", "sandbox-" + spec.sandboxId()));
        String machine = "q35,accel=" + (opt.kvm() ? "kvm" : "tcg");
        if (spec.snp()) {
            machine += ",confidential-guest-support=snp0,memory-backend=ram0";
        }
        a.addAll(List.of("-machine", machine));
        a.addAll(List.of("-cpu", spec.snp() ? "EPYC-v4" : opt.kvm() ? "host" : "max"));
        a.addAll(List.of("-smp", spec.vcpus() + ",maxcpus=" + spec.maxVcpus()));
        a.addAll(List.of("-m", spec.memoryMiB() + "M"));
        if (spec.snp()) {
            a.addAll(List.of("-object", "memory-backend-memfd,id=ram0,size=" + spec.memoryMiB() + "M,share=true"));
            a.addAll(List.of("-object", "sev-snp-guest,id=snp0,cbitpos=51,reduced-phys-bits=1,kernel-hashes=on,host-data="
                    + Base64.getEncoder().encodeToString(spec.hostData())));
        }
        a.addAll(List.of("-nodefaults", "-no-user-config", "-display", "none", "-no-reboot"));
        if (opt.startPaused()) {
            a.add("-S");
        }
        a.addAll(List.of("-kernel", spec.kernel().get().toString()));
        spec.initrd().ifPresent(i -> a.addAll(List.of("-initrd", i.toString())));
        a.addAll(List.of("-append", String.join(" ", spec.kernelParams())));
        a.addAll(List.of("-qmp", "unix:" + escape(qmpSocket.toString()) + ",server=on,wait=off"));
        a.addAll(List.of("-chardev", "file,id=console,path=" + escape(consoleLog.toString())));
        a.addAll(List.of("-serial", "chardev:console"));
        if (opt.vhostVsock()) {
            a.addAll(List.of("-device", "vhost-vsock-pci,guest-cid=" + VSOCK_AGENT_CID));
        } else {
            a.addAll(List.of("-device", "virtio-serial-pci,id=vser0"));
            a.addAll(List.of("-chardev", "socket,id=agent,path=" + escape(agentSocket.toString()) + ",server=on,wait=off"));
            a.addAll(List.of("-device", "virtserialport,bus=vser0.0,chardev=agent,name=" + AGENT_PORT_NAME));
            a.addAll(List.of("-chardev", "socket,id=agentlog,path=" + escape(logSocket(agentSocket).toString())
                    + ",server=on,wait=off"));
            a.addAll(List.of("-device", "virtserialport,bus=vser0.0,chardev=agentlog,name=" + LOG_PORT_NAME));
        }
        spec.image().ifPresent(img -> disk(a, new BlockDevice("rootfs", img, true)));
        spec.disks().forEach(d -> disk(a, d));
        for (int i = 0; i < opt.hotplugPorts(); i++) {
            a.addAll(List.of("-device", "pcie-root-port,id=" + hotplugPort(i) + ",bus=pcie.0,chassis=" + (i + 1)
                    + ",addr=0x" + Integer.toHexString(hotplugPortSlot(i))));
        }
        return a;
    }

    /** The host end of the agent's log port: next to the agent socket. */
    public static Path logSocket(Path agentSocket) {
        return agentSocket.resolveSibling("agent-log.sock");
    }

    public static String hotplugPort(int i) {
        return "hp" + i;
    }

    /** Root ports sit at fixed slots so the guest path of a hot-plugged disk is known: port i at 0x10 + i. */
    public static int hotplugPortSlot(int i) {
        if (i < 0 || i >= MAX_HOTPLUG_PORTS) {
            throw new IllegalArgumentException("hot-plug port " + i + " out of 0.." + (MAX_HOTPLUG_PORTS - 1));
        }
        return FIRST_HOTPLUG_SLOT + i;
    }

    private static void disk(List<String> a, BlockDevice d) {
        a.addAll(List.of("-drive", "file=" + escape(d.path().toString()) + ",if=none,id=" + d.id() + ",format=raw"
                + (d.readOnly() ? ",readonly=on" : "")));
        a.addAll(List.of("-device", "virtio-blk-pci,drive=" + d.id() + ",id=dev-" + d.id()));
    }

    /** QEMU option values escape a comma by doubling it. */
    static String escape(String v) {
        return v.replace(",", ",,");
    }
}
