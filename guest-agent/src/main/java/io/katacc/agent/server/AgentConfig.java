package io.katacc.agent.server;

import io.katacc.agent.policy.PolicyInputShape;
import java.nio.file.Path;

/**
 * Where the agent listens and keeps its state.
 *
 * @param address  ttrpc address: {@code vsock://-1:1024} (any CID), {@code serial:///dev/virtio-ports/agent.channel.0}, {@code unix:///...}
 * @param runDir   the guest's /run/kata-containers (elsewhere in tests on a host)
 * @param stateDir bundles and runc state
 * @param etcDir   where hostname and resolv.conf are written
 * @param runc     runc binary
 * @param shape    policy input dialect the loaded policies were generated for
 * @param logAddress where the shim reads the agent's log lines ({@code serial:///dev/virtio-ports/agent.log.0},
 *                 {@code vsock://-1:1025}); empty: console only
 */
public record AgentConfig(String address, Path runDir, Path stateDir, Path etcDir, String runc, PolicyInputShape shape,
                          String logAddress) {

    public static AgentConfig guestDefaults() {
        return new AgentConfig("vsock://-1:1024", Path.of("/run/kata-containers"), Path.of("/run/kata-agent"),
                Path.of("/etc"), "/usr/sbin/runc", PolicyInputShape.AKS_2024, "");
    }

    /** {@code --key=value} arguments over the guest defaults. */
    public static AgentConfig parse(String[] args) {
        AgentConfig c = guestDefaults();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("argument '" + a + "' is not --key=value");
            }
            String k = a.substring(2, eq);
            String v = a.substring(eq + 1);
            c = switch (k) {
                case "address" -> new AgentConfig(v, c.runDir, c.stateDir, c.etcDir, c.runc, c.shape, c.logAddress);
                case "run-dir" -> new AgentConfig(c.address, Path.of(v), c.stateDir, c.etcDir, c.runc, c.shape, c.logAddress);
                case "state-dir" -> new AgentConfig(c.address, c.runDir, Path.of(v), c.etcDir, c.runc, c.shape, c.logAddress);
                case "etc-dir" -> new AgentConfig(c.address, c.runDir, c.stateDir, Path.of(v), c.runc, c.shape, c.logAddress);
                case "runc" -> new AgentConfig(c.address, c.runDir, c.stateDir, c.etcDir, v, c.shape, c.logAddress);
                case "policy-shape" -> new AgentConfig(c.address, c.runDir, c.stateDir, c.etcDir, c.runc,
                        PolicyInputShape.byName(v), c.logAddress);
                case "log-address" -> new AgentConfig(c.address, c.runDir, c.stateDir, c.etcDir, c.runc, c.shape, v);
                default -> throw new IllegalArgumentException("unknown option --" + k
                        + " (known: address, run-dir, state-dir, etc-dir, runc, policy-shape, log-address)");
            };
        }
        return c;
    }
}
