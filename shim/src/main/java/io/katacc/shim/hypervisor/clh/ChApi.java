package io.katacc.shim.hypervisor.clh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Optional;

/** The Cloud Hypervisor REST endpoints the shim uses ({@code /api/v1/...} on the API socket). */
public final class ChApi {
    private static final String PREFIX = "/api/v1/";
    private final UnixHttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    public ChApi(UnixHttpClient http) {
        this.http = http;
    }

    /** {@code GET vmm.ping}: the VMM's version; answers once the API server is up. */
    public JsonNode ping() throws IOException {
        return parse("vmm.ping", call("GET", "vmm.ping", null));
    }

    public void createVm(ObjectNode vmConfig) throws IOException {
        call("PUT", "vm.create", vmConfig);
    }

    public void bootVm() throws IOException {
        call("PUT", "vm.boot", null);
    }

    /** {@code PUT vm.add-disk}; returns the PciDeviceInfo ({@code id}, {@code bdf}). */
    public JsonNode addDisk(ObjectNode diskConfig) throws IOException {
        return parse("vm.add-disk", call("PUT", "vm.add-disk", diskConfig));
    }

    public void removeDevice(String id) throws IOException {
        call("PUT", "vm.remove-device", json.createObjectNode().put("id", id));
    }

    public void shutdownVm() throws IOException {
        call("PUT", "vm.shutdown", null);
    }

    public void shutdownVmm() throws IOException {
        call("PUT", "vmm.shutdown", null);
    }

    private HttpResponse call(String method, String endpoint, ObjectNode body) throws IOException {
        HttpResponse r = http.send(method, PREFIX + endpoint,
                body == null ? Optional.empty() : Optional.of(json.writeValueAsString(body)));
        if (!r.ok()) {
            throw new ChApiException(endpoint, r.status(), r.body());
        }
        return r;
    }

    private JsonNode parse(String endpoint, HttpResponse r) throws IOException {
        if (r.body().isBlank()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(r.body());
        } catch (IOException e) {
            throw new IOException("cloud-hypervisor " + endpoint + " returned invalid JSON: " + r.body(), e);
        }
    }
}
