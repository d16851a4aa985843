package io.katacc.shim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The parts of a bundle's OCI {@code config.json} the shim reads before any VM exists. */
public record BundleSpec(Map<String, String> annotations) {
    public static final String SANDBOX_ID = "io.kubernetes.cri.sandbox-id";
    public static final String CONTAINER_TYPE = "io.kubernetes.cri.container-type";

    public BundleSpec {
        annotations = Map.copyOf(annotations);
    }

    public static BundleSpec read(Path bundle) {
        Path file = bundle.resolve("config.json");
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("bundle " + bundle + " has no config.json");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        Map<String, String> ann = new LinkedHashMap<>();
        JsonNode a = root.path("annotations");
        if (!a.isMissingNode() && !a.isNull()) {
            if (!a.isObject()) {
                throw new IllegalArgumentException(file + ": annotations must be an object");
            }
            for (Map.Entry<String, JsonNode> e : a.properties()) {
                if (!e.getValue().isTextual()) {
                    throw new IllegalArgumentException(file + ": annotation " + e.getKey() + " must be a string");
                }
                ann.put(e.getKey(), e.getValue().asText());
            }
        }
        return new BundleSpec(ann);
    }

    /** The id the shim is shared under: the pod's sandbox id, or the container's own id outside a pod. */
    public String groupId(String containerId) {
        String s = annotations.get(SANDBOX_ID);
        return s == null || s.isEmpty() ? containerId : s;
    }

    public boolean isSandbox() {
        return "sandbox".equals(annotations.get(CONTAINER_TYPE));
    }
}
