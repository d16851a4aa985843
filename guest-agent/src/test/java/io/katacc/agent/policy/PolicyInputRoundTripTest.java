package io.katacc.agent.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.katacc.agent.api.CopyFileRequest;
import io.katacc.agent.api.ExecProcessRequest;
import io.katacc.agent.api.LinuxSyscall;
import io.katacc.agent.api.UpdateInterfaceRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class PolicyInputRoundTripTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** k8s-policy-* were recorded from an agent with passfd stdio ports; the pod-* ones before that. */
    static PolicyInputShape shapeOf(String caseName) {
        return caseName.startsWith("k8s-policy-") ? PolicyInputShape.AKS_2024_PASSFD : PolicyInputShape.AKS_2024;
    }

    static List<Path> cases() throws IOException {
        try (Stream<Path> s = Files.list(SharedData.kataPolicy())) {
            return s.filter(p -> Files.isRegularFile(p.resolve("inputs.txt"))).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyRecordedRequestRoundTrips() throws IOException {
        List<Path> cases = cases();
        assertTrue(cases.size() >= 9, "expected the kata-policy reference cases under " + SharedData.kataPolicy());
        return cases.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
            RecordedInputs rec = RecordedInputs.load(dir);
            PolicyInputShape shape = shapeOf(rec.caseName());
            PolicyInputReader reader = new PolicyInputReader(shape);
            PolicyInputWriter writer = new PolicyInputWriter(shape);
            PolicyInputWriter upstream = new PolicyInputWriter(PolicyInputShape.UPSTREAM);
            PolicyInputReader upstreamReader = new PolicyInputReader(PolicyInputShape.UPSTREAM);
            int requests = 0;
            for (RecordedInputs.Line line : rec.lines()) {
                if (line.entry().equals("AllowRequestsFailingPolicy")) {
                    continue; // a policy flag query, not a request
                }
                Message req = reader.read(line.input(), AgentRequests.prototype(line.entry()));
                JsonNode back = writer.toJson(req);
                assertEquals(line.input(), back, rec.caseName() + ":" + line.number() + " " + line.entry());
                // the same request in today's upstream shape reads back to the same message
                assertEquals(req, upstreamReader.read(upstream.toJson(req), AgentRequests.prototype(line.entry())),
                        rec.caseName() + ":" + line.number() + " upstream shape");
                requests++;
            }
            assertTrue(requests > 0);
        }));
    }

    @Test
    void shapesDifferWhereUpstreamChanged() {
        var iface = UpdateInterfaceRequest.newBuilder()
                .setInterface(io.katacc.agent.api.types.Interface.newBuilder().setDevicePath("0000:00:02.0").setType("veth"))
                .build();
        JsonNode aks = new PolicyInputWriter(PolicyInputShape.AKS_2024).toJson(iface).get("interface");
        JsonNode up = new PolicyInputWriter(PolicyInputShape.UPSTREAM).toJson(iface).get("interface");
        assertEquals("0000:00:02.0", aks.get("pciPath").asText());
        assertEquals("0000:00:02.0", up.get("devicePath").asText());
        assertEquals("veth", up.get("type_").asText());

        var link = CopyFileRequest.newBuilder().setPath("/run/kata-containers/shared/containers/x/..data")
                .setFileMode(0120777).setData(ByteString.copyFromUtf8("..2024")).build();
        JsonNode old = new PolicyInputWriter(PolicyInputShape.AKS_2024).toJson(link);
        JsonNode now = new PolicyInputWriter(PolicyInputShape.UPSTREAM).toJson(link);
        assertEquals("..2024", old.get("symlink_src").asText());
        assertEquals("Symlink", now.get("file_type").asText());
        assertEquals("..2024", now.get("symlink_target").asText());
        assertTrue(!old.has("data") && !now.has("data"), "data bytes never reach the rules");
    }

    @Test
    void oneofAndUnsetMessagesAreSerdeShaped() {
        var sc = LinuxSyscall.newBuilder().addNames("read").setAction("SCMP_ACT_ERRNO").setErrnoret(1).build();
        JsonNode j = new PolicyInputWriter(PolicyInputShape.UPSTREAM).toJson(sc);
        assertEquals(1, j.get("ErrnoRet").get("errnoret").asInt());
        JsonNode e = new PolicyInputWriter(PolicyInputShape.UPSTREAM).toJson(ExecProcessRequest.getDefaultInstance());
        assertTrue(e.get("process").isNull() && e.get("string_user").isNull());
        assertEquals(sc, new PolicyInputReader(PolicyInputShape.UPSTREAM).read(j, LinuxSyscall.getDefaultInstance()));
    }

    @Test
    void badInputNamesThePath() throws IOException {
        var reader = new PolicyInputReader(PolicyInputShape.AKS_2024);
        var e1 = assertThrows(IllegalArgumentException.class, () -> reader.read(
                JSON.readTree("{\"process\":{\"Args\":\"sh\"}}"), ExecProcessRequest.getDefaultInstance()));
        assertEquals("$.process.Args: expected an array", e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> reader.read(
                JSON.readTree("{\"container_id\":\"a\",\"bogus\":1}"), ExecProcessRequest.getDefaultInstance()));
        assertTrue(e2.getMessage().startsWith("$.bogus: no such field in grpc.ExecProcessRequest"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> reader.read(
                JSON.readTree("{\"stdin_port\":3}"), ExecProcessRequest.getDefaultInstance()));
        assertTrue(e3.getMessage().contains("aks-2024"), e3.getMessage());
        var e4 = assertThrows(IllegalArgumentException.class, () -> reader.read(
                JSON.readTree("{\"file_mode\":-1}"), CopyFileRequest.getDefaultInstance()));
        assertTrue(e4.getMessage().startsWith("$.file_mode: -1 is out of range"), e4.getMessage());
    }
}
