package io.katacc.shim.hypervisor.clh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.katacc.shim.hypervisor.BlockDevice;
import io.katacc.shim.hypervisor.ProcessLauncher;
import io.katacc.shim.hypervisor.VmSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** Every request the CH client sends, checked against our schema fixture of CH's OpenAPI document. */
@Timeout(120)
class ChApiTest {
    private static ChApiSchema schema;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void load() throws IOException {
        schema = new ChApiSchema();
    }

    private static VmSpec spec(Path dir, boolean snp) {
        byte[] hostData = HexFormat.of().parseHex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        return new VmSpec("pod1", 2, 4, 512,
                snp ? Optional.empty() : Optional.of(Path.of("/k/vmlinuz")),
                snp ? Optional.empty() : Optional.of(Path.of("/k/initrd.img")),
                snp ? Optional.of(Path.of("/k/rootfs.img")) : Optional.empty(),
                snp ? Optional.of(Path.of("/k/kata.igvm")) : Optional.empty(),
                List.of("console=ttyS0", "quiet"), snp, snp ? hostData : new byte[0],
                List.of(new BlockDevice("layer0", Path.of("/l/0.erofs"), true)), dir);
    }

    @Test
    void everyRequestOfABootHotplugShutdownCycleMatchesTheSchema(@TempDir Path dir) throws Exception {
        try (var fake = new FakeChApiServer(dir.resolve("api.sock"))) {
            var api = new ChApi(new UnixHttpClient(dir.resolve("api.sock")));
            CloudHypervisor.boot(api, spec(dir, true), dir.resolve("clh.sock"), dir.resolve("console.log"));
            CloudHypervisor.boot(api, spec(dir, false), dir.resolve("clh.sock"), dir.resolve("console.log"));
            assertEquals("0000:00:06.0", api.addDisk(ChVmConfig.disk(new BlockDevice("layer1", Path.of("/l/1.erofs"), true)))
                    .path("bdf").asText());
            api.removeDevice("layer1");
            api.shutdownVm();
            api.shutdownVmm();

            assertEquals(List.of("GET /api/v1/vmm.ping", "PUT /api/v1/vm.create", "PUT /api/v1/vm.boot",
                    "GET /api/v1/vmm.ping", "PUT /api/v1/vm.create", "PUT /api/v1/vm.boot",
                    "PUT /api/v1/vm.add-disk", "PUT /api/v1/vm.remove-device", "PUT /api/v1/vm.shutdown",
                    "PUT /api/v1/vmm.shutdown"), fake.requests.stream().map(FakeChApiServer.Request::endpoint).toList());
            for (FakeChApiServer.Request r : fake.requests) {
                Optional<String> def = schema.bodySchema(r.endpoint());
                if (def.isEmpty()) {
                    assertEquals("", r.body(), r.endpoint() + " takes no body");
                    continue;
                }
                assertEquals("application/json", r.contentType(), r.endpoint());
                assertEquals(List.of(), schema.validate(def.get(), r.body()), r.endpoint() + " body " + r.body());
            }

            JsonNode snpVm = json.readTree(fake.requests.get(1).body());
            assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                    snpVm.at("/payload/host_data").asText());
            assertEquals("/k/kata.igvm", snpVm.at("/payload/igvm").asText());
            assertTrue(snpVm.at("/platform/sev_snp").asBoolean());
            assertFalse(snpVm.at("/memory/shared").asBoolean(), "SNP guest memory is private");
            assertEquals(512L << 20, snpVm.at("/memory/size").asLong());
            assertEquals(dir.resolve("clh.sock").toString(), snpVm.at("/vsock/socket").asText());
            assertEquals(List.of("rootfs", "layer0"), List.of(snpVm.at("/disks/0/id").asText(), snpVm.at("/disks/1/id").asText()));

            JsonNode plain = json.readTree(fake.requests.get(4).body());
            assertTrue(plain.at("/payload/host_data").isMissingNode(), "no HOST_DATA outside SNP");
            assertTrue(plain.at("/platform").isMissingNode());
            assertEquals("/k/initrd.img", plain.at("/payload/initramfs").asText());
            assertEquals("console=ttyS0 quiet", plain.at("/payload/cmdline").asText());
        }
    }

    @Test
    void theSchemaFixtureRejectsWhatCloudHypervisorWould() throws Exception {
        assertFalse(schema.validate("VmConfig", "{\"cpus\":{\"boot_vcpus\":1,\"max_vcpus\":1}}").isEmpty(), "payload is required");
        assertFalse(schema.validate("VmConfig", "{\"payload\":{\"kernel\":\"/k\"},\"cpus\":{\"boot_vcpus\":0,\"max_vcpus\":1}}").isEmpty());
        assertFalse(schema.validate("VmConfig", "{\"payload\":{\"kernel\":\"/k\",\"hostdata\":\"00\"}}").isEmpty(), "misspelt key");
        assertFalse(schema.validate("VmConfig", "{\"payload\":{\"kernel\":\"/k\",\"host_data\":\"abcd\"}}").isEmpty(), "HOST_DATA is 32 bytes");
        assertFalse(schema.validate("VmConfig", "{\"payload\":{},\"vsock\":{\"cid\":2,\"socket\":\"/s\"}}").isEmpty(), "cid >= 3");
        assertFalse(schema.validate("VmConfig", "{\"payload\":{},\"serial\":{\"mode\":\"Stdout\"}}").isEmpty(), "ConsoleMode enum");
        assertFalse(schema.validate("VmConfig", "{\"payload\":{},\"memory\":{\"size\":\"1G\"}}").isEmpty());
        assertEquals(List.of(), schema.validate("VmConfig", "{\"payload\":{\"kernel\":\"/k\"}}"));
        assertThrows(AssertionError.class, () -> schema.bodySchema("PUT /api/v1/vm.frobnicate"));
    }

    @Test
    void errorStatusesBecomeClearExceptions(@TempDir Path dir) throws Exception {
        try (var fake = new FakeChApiServer(dir.resolve("api.sock"))) {
            var api = new ChApi(new UnixHttpClient(dir.resolve("api.sock")));
            ChApiException e = assertThrows(ChApiException.class, () -> api.removeDevice("missing"));
            assertEquals(404, e.status());
            assertEquals("cloud-hypervisor vm.remove-device failed with HTTP 404: Error from API: The VM could not "
                    + "remove the device: no such device", e.getMessage());
        }
        IOException noServer = assertThrows(IOException.class,
                () -> new ChApi(new UnixHttpClient(dir.resolve("none.sock"))).ping());
        assertNotNull(noServer.getMessage());
    }

    @Test
    void startRefusesAMissingBinary(@TempDir Path dir) {
        var clh = new CloudHypervisor(dir.resolve("cloud-hypervisor"), new ProcessLauncher(), Duration.ofSeconds(1));
        IOException e = assertThrows(IOException.class, () -> clh.start(spec(dir, false)));
        assertEquals("cloud-hypervisor binary " + dir.resolve("cloud-hypervisor") + " is not executable", e.getMessage());
        assertThrows(IllegalStateException.class, clh::process);
    }
}
