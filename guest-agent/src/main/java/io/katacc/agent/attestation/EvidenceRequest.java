package io.katacc.agent.attestation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A workload's evidence request as the policy sees it (entry {@code GetEvidenceRequest}):
 * runtime_data exactly as the caller sent it (after form-urlencoded decoding) and the encoding
 * parameter, null when absent (then runtime_data's UTF-8 bytes are the report data).
 */
public record EvidenceRequest(String runtimeData, String encoding) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public EvidenceRequest {
        if (runtimeData == null) {
            throw new IllegalArgumentException("runtime_data is required");
        }
    }

    /** The policy input: {@code {"runtime_data": "...", "encoding": "base64" | null}}. */
    public String policyInput() {
        ObjectNode n = JSON.createObjectNode();
        n.put("runtime_data", runtimeData);
        n.put("encoding", encoding);
        return n.toString();
    }
}
