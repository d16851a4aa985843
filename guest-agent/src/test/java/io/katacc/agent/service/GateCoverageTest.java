package io.katacc.agent.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.MethodDescriptor;
import io.katacc.agent.container.Containers;
import io.katacc.agent.container.Runc;
import io.katacc.agent.error.AgentException;
import io.katacc.agent.policy.AgentRequests;
import io.katacc.agent.policy.HostData;
import io.katacc.agent.policy.PolicyGate;
import io.katacc.agent.policy.PolicyInputShape;
import io.katacc.agent.policy.PolicyInstaller;
import io.katacc.agent.sandbox.CopyFiles;
import io.katacc.agent.sandbox.Sandbox;
import io.katacc.agent.storage.Mounter;
import io.katacc.agent.storage.Storages;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every method of grpc.AgentService reaches the policy before anything else happens. */
class GateCoverageTest {

    @TempDir
    Path tmp;

    private AgentService service(ScriptedEngine engine, Sandbox[] sandboxOut) {
        Storages storages = new Storages(tmp.resolve("run"), new Mounter());
        Containers containers = new Containers(new Runc("/nonexistent/runc", tmp.resolve("runc")), tmp.resolve("b"));
        Sandbox sandbox = new Sandbox(storages, containers, tmp.resolve("etc"));
        sandboxOut[0] = sandbox;
        PolicyGate gate = new PolicyGate(engine, PolicyInputShape.UPSTREAM);
        return new AgentService(gate, new PolicyInstaller(gate, HostData.NONE), containers, storages, sandbox,
                new CopyFiles(tmp.resolve("run/shared/containers")));
    }

    @Test
    void everyMethodIsGated() throws Exception {
        List<MethodDescriptor> methods = AgentRequests.methods();
        StringBuilder policy = new StringBuilder();
        for (MethodDescriptor m : methods) {
            policy.append("deny ").append(m.getInputType().getName()).append(" denied-").append(m.getName()).append('\n');
        }
        // ReadStdout and ReadStderr share ReadStreamRequest, so the message names the method via the last line
        ScriptedEngine engine = new ScriptedEngine(policy.toString());
        Sandbox[] sb = new Sandbox[1];
        AgentService svc = service(engine, sb);
        int gated = 0;
        for (MethodDescriptor m : methods) {
            int before = engine.calls.size();
            AgentException e = assertThrows(AgentException.class, () -> svc.call(m.getName(), new byte[0]), m.getName());
            assertEquals(AgentException.Kind.PERMISSION_DENIED, e.kind(), m.getName() + ": " + e.getMessage());
            String entry = m.getInputType().getName();
            assertTrue(e.getMessage().startsWith(entry + " is blocked by policy: denied-"), e.getMessage());
            assertEquals(before + 1, engine.calls.size());
            assertEquals(entry, engine.calls.get(before).entry());
            gated++;
        }
        assertNull(sb[0].id(), "a denied CreateSandbox changed nothing");
        System.out.printf("AgentService methods gated by policy: %d/%d%n", gated, methods.size());
        assertEquals(methods.size(), gated);
        assertEquals(42, gated);
    }

    @Test
    void unimplementedMethodsSayWhichAfterTheGate() throws Exception {
        ScriptedEngine engine = new ScriptedEngine("allow *");
        AgentService svc = service(engine, new Sandbox[1]);
        int unimplemented = 0;
        for (MethodDescriptor m : AgentRequests.methods()) {
            if (svc.implementedMethods().contains(m.getName())) {
                continue;
            }
            AgentException e = assertThrows(AgentException.class, () -> svc.call(m.getName(), new byte[0]));
            assertEquals(AgentException.Kind.UNIMPLEMENTED, e.kind());
            assertEquals(m.getName() + " is not implemented by this agent", e.getMessage());
            assertEquals(m.getInputType().getName(), engine.calls.getLast().entry());
            unimplemented++;
        }
        System.out.printf("AgentService methods implemented: %d, unimplemented (gated, then UNIMPLEMENTED): %d%n",
                svc.implementedMethods().size(), unimplemented);
        var bogus = assertThrows(AgentException.class, () -> svc.call("NoSuchMethod", new byte[0]));
        assertEquals(AgentException.Kind.UNIMPLEMENTED, bogus.kind());
        var malformed = assertThrows(AgentException.class, () -> svc.call("StartContainer", new byte[] {(byte) 0xff}));
        assertEquals(AgentException.Kind.INVALID_ARGUMENT, malformed.kind());
    }
}
