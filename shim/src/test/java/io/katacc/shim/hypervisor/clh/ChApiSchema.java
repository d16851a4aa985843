package io.katacc.shim.hypervisor.clh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/** Our Cloud Hypervisor API request schema fixture (test resource clh/ch-api-subset.schema.json). */
final class ChApiSchema {
    private final JsonNode fixture;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final ObjectMapper json = new ObjectMapper();

    ChApiSchema() throws IOException {
        try (InputStream in = ChApiSchema.class.getResourceAsStream("/clh/ch-api-subset.schema.json")) {
            fixture = json.readTree(in);
        }
    }

    /** The schema name for an endpoint's body, empty for bodiless endpoints; throws for unknown endpoints. */
    Optional<String> bodySchema(String endpoint) {
        JsonNode e = fixture.path("endpoints");
        if (!e.has(endpoint)) {
            throw new AssertionError("request to an endpoint the CH API does not have: " + endpoint);
        }
        return e.get(endpoint).isNull() ? Optional.empty() : Optional.of(e.get(endpoint).asText());
    }

    List<String> validate(String def, String body) throws IOException {
        ObjectNode s = json.createObjectNode();
        s.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        s.set("$defs", fixture.get("$defs"));
        s.put("$ref", "#/$defs/" + def);
        Schema schema = registry.getSchema(json.writeValueAsString(s), InputFormat.JSON);
        return schema.validate(body, InputFormat.JSON).stream().map(Error::toString).toList();
    }
}
