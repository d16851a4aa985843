package io.katacc.shim.policy;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/** Picks the pod's policy: the base64 annotation when present, else the configured default. */
public final class PolicyResolver {
    public static final String ANNOTATION = "io.katacontainers.config.agent.policy";

    private final Optional<Path> defaultPolicy;

    public PolicyResolver(Optional<Path> defaultPolicy) {
        this.defaultPolicy = defaultPolicy;
    }

    public PolicyDocument resolve(Map<String, String> annotations) {
        String encoded = annotations.get(ANNOTATION);
        if (encoded != null && !encoded.isEmpty()) {
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(encoded.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("annotation " + ANNOTATION + " is not valid base64: " + e.getMessage());
            }
            try {
                String text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(raw)).toString();
                return new PolicyDocument(text, PolicyDocument.Source.ANNOTATION);
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("annotation " + ANNOTATION + " does not decode to UTF-8 text");
            }
        }
        Path p = defaultPolicy.orElseThrow(() -> new IllegalArgumentException(
                "pod has no " + ANNOTATION + " annotation and the runtime configuration sets no default_policy"));
        try {
            return new PolicyDocument(Files.readString(p), PolicyDocument.Source.DEFAULT);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read default policy " + p + ": " + e.getMessage(), e);
        }
    }
}
