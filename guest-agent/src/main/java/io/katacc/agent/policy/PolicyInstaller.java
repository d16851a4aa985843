package io.katacc.agent.policy;

import io.katacc.agent.api.SetPolicyRequest;
import io.katacc.agent.error.AgentException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SetPolicy: the current policy must allow it, and in a TEE the new text must hash to HOST_DATA. */
public final class PolicyInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyInstaller.class);

    private final PolicyGate gate;
    private final HostData hostData;

    public PolicyInstaller(PolicyGate gate, HostData hostData) {
        this.gate = gate;
        this.hostData = hostData;
    }

    /** Called after the gate allowed the request. */
    public void install(SetPolicyRequest req) {
        byte[] digest = sha256(req.getPolicy());
        Optional<byte[]> expected = hostData.read();
        if (expected.isPresent()) {
            byte[] hd = expected.get();
            if (hd.length < 32 || !MessageDigest.isEqual(java.util.Arrays.copyOf(hd, 32), digest)) {
                throw new AgentException(AgentException.Kind.PERMISSION_DENIED, "SetPolicy: SHA-256 of the policy ("
                        + HexFormat.of().formatHex(digest) + ") does not match HOST_DATA ("
                        + HexFormat.of().formatHex(hd) + ")");
            }
        } else {
            LOG.warn("SetPolicy: not running in a TEE, policy digest {} is not checked against HOST_DATA",
                    HexFormat.of().formatHex(digest));
        }
        gate.replace(req.getPolicy());
        LOG.info("policy replaced sha256={}", HexFormat.of().formatHex(digest));
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
