package io.katacc.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.katacc.agent.api.types.Interface;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentProtoWireTest {

    @Test
    void serviceNamesAreTheOnesTheGoAndRustPeersUse() {
        ServiceDescriptor agent = AgentProto.getDescriptor().findServiceByName("AgentService");
        assertEquals("grpc.AgentService", agent.getFullName());
        assertEquals(42, agent.getMethods().size());
        assertEquals("ReadStreamRequest", agent.findMethodByName("ReadStderr").getInputType().getName());
        ServiceDescriptor health = HealthProto.getDescriptor().findServiceByName("Health");
        assertEquals("grpc.Health", health.getFullName());
        assertEquals(List.of("Check", "Version"),
                health.getMethods().stream().map(m -> m.getName()).toList());
    }

    @Test
    void fieldNumbersEncodeAsUpstream() throws Exception {
        // hand-encoded with upstream numbers: container_id=1, exec_id=2, signal=3
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(expected);
        out.writeString(1, "c1");
        out.writeString(2, "e1");
        out.writeUInt32(3, 9);
        out.flush();
        SignalProcessRequest req = SignalProcessRequest.newBuilder()
                .setContainerId("c1").setExecId("e1").setSignal(9).build();
        assertArrayEquals(expected.toByteArray(), req.toByteArray());

        ByteArrayOutputStream iface = new ByteArrayOutputStream();
        CodedOutputStream o2 = CodedOutputStream.newInstance(iface);
        o2.writeString(6, "0000:00:02.0");
        o2.writeString(7, "veth");
        o2.writeUInt32(8, 4163);
        o2.flush();
        Interface parsed = Interface.parseFrom(iface.toByteArray());
        assertEquals("0000:00:02.0", parsed.getDevicePath());
        assertEquals("veth", parsed.getType());
        assertEquals(4163, parsed.getRawFlags());
    }
}
