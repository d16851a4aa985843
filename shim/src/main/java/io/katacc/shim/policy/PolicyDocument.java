package io.katacc.shim.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An agent policy as text; {@link #hostData()} is what the VM's SNP HOST_DATA carries so the agent can
 * prove the policy it is given is the one the VM was launched for.
 */
public record PolicyDocument(String text, Source source) {
    public enum Source { ANNOTATION, DEFAULT }

    /** SHA-256 of the policy text bytes (UTF-8), 32 bytes: the SNP HOST_DATA field is exactly 32 bytes. */
    public byte[] hostData() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }

    public String hostDataHex() {
        return HexFormat.of().formatHex(hostData());
    }
}
