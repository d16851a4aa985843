package io.katacc.policy.builtin.lib;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.katacc.policy.builtin.BuiltinError;
import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.value.ArrayValue;
import io.katacc.policy.value.ObjectValue;
import io.katacc.policy.value.SetValue;
import io.katacc.policy.value.StringValue;
import io.katacc.policy.value.Value;
import io.katacc.policy.value.ValueJson;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** base64, base64url, hex, JSON, YAML and URL-query encodings. */
final class Encoding {
    private Encoding() {}

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    static void registerAll(BuiltinRegistry r) {
        r.register("base64.encode", 1, (c, a) -> Value.str(Base64.getEncoder().encodeToString(bytes(Args.str("base64.encode", a, 0)))));
        r.register("base64.decode", 1, (c, a) -> Value.str(text("base64.decode", base64Decode(Args.str("base64.decode", a, 0), false))));
        r.register("base64.is_valid", 1, (c, a) -> Value.bool(base64Decode(Args.str("base64.is_valid", a, 0), false) != null));
        r.register("base64url.encode", 1, (c, a) -> Value.str(Base64.getUrlEncoder().encodeToString(bytes(Args.str("base64url.encode", a, 0)))));
        r.register("base64url.encode_no_pad", 1, (c, a) ->
                Value.str(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(Args.str("base64url.encode_no_pad", a, 0)))));
        r.register("base64url.decode", 1, (c, a) -> Value.str(text("base64url.decode", base64Decode(Args.str("base64url.decode", a, 0), true))));
        r.register("hex.encode", 1, (c, a) -> Value.str(HexFormat.of().formatHex(bytes(Args.str("hex.encode", a, 0)))));
        r.register("hex.decode", 1, (c, a) -> {
            String s = Args.str("hex.decode", a, 0);
            try {
                return Value.str(text("hex.decode", HexFormat.of().parseHex(s)));
            } catch (IllegalArgumentException e) {
                throw new BuiltinError("hex.decode: invalid hex string: " + e.getMessage());
            }
        });
        r.register("json.marshal", 1, (c, a) -> Value.str(a.get(0).toJson()));
        r.register("json.unmarshal", 1, (c, a) -> parseJson("json.unmarshal", Args.str("json.unmarshal", a, 0)));
        r.register("json.is_valid", 1, (c, a) -> {
            if (!(a.get(0) instanceof StringValue s)) return Value.FALSE;
            try {
                parseJson("json.is_valid", s.value());
                return Value.TRUE;
            } catch (BuiltinError e) {
                return Value.FALSE;
            }
        });
        r.register("yaml.marshal", 1, (c, a) -> {
            try {
                return Value.str(YAML.writeValueAsString(ValueJson.toJson(a.get(0))));
            } catch (JsonProcessingException e) {
                throw new BuiltinError("yaml.marshal: " + e.getOriginalMessage());
            }
        });
        r.register("yaml.unmarshal", 1, (c, a) -> parseYaml("yaml.unmarshal", Args.str("yaml.unmarshal", a, 0)));
        r.register("yaml.is_valid", 1, (c, a) -> {
            if (!(a.get(0) instanceof StringValue s)) return Value.FALSE;
            try {
                parseYaml("yaml.is_valid", s.value());
                return Value.TRUE;
            } catch (BuiltinError e) {
                return Value.FALSE;
            }
        });
        r.register("urlquery.encode", 1, (c, a) -> Value.str(queryEscape(Args.str("urlquery.encode", a, 0))));
        r.register("urlquery.decode", 1, (c, a) -> Value.str(queryUnescape(Args.str("urlquery.decode", a, 0))));
        r.register("urlquery.encode_object", 1, (c, a) -> Value.str(encodeObject(Args.obj("urlquery.encode_object", a, 0))));
        r.register("urlquery.decode_object", 1, (c, a) -> decodeObject(Args.str("urlquery.decode_object", a, 0)));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Decoded bytes as a string; Rego strings must be valid UTF-8. */
    private static String text(String fn, byte[] b) throws BuiltinError {
        if (b == null) throw new BuiltinError(fn + ": illegal base64 data");
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new BuiltinError(fn + ": decoded bytes are not valid UTF-8");
        }
    }

    /**
     * Go's StdEncoding/URLEncoding decode: padding is required (so "devpts" is not valid base64), and
     * for base64url an unpadded input is accepted as OPA does (it falls back to RawURLEncoding).
     * Returns null when invalid.
     */
    static byte[] base64Decode(String s, boolean url) {
        if (url && s.length() % 4 != 0 && !s.contains("=")) {
            try {
                return Base64.getUrlDecoder().decode(s);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if (s.length() % 4 != 0) return null;
        try {
            return (url ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static Value parseJson(String fn, String s) throws BuiltinError {
        try {
            JsonNode n = JSON.readTree(s);
            if (n == null || n.isMissingNode()) throw new BuiltinError(fn + ": empty input");
            return ValueJson.fromJson(n);
        } catch (JsonProcessingException e) {
            throw new BuiltinError(fn + ": invalid JSON: " + e.getOriginalMessage());
        }
    }

    static Value parseYaml(String fn, String s) throws BuiltinError {
        try {
            JsonNode n = YAML.readTree(s);
            return n == null || n.isMissingNode() ? Value.NULL : ValueJson.fromJson(n);
        } catch (JsonProcessingException e) {
            throw new BuiltinError(fn + ": invalid YAML: " + e.getOriginalMessage());
        } catch (RuntimeException e) {
            throw new BuiltinError(fn + ": invalid YAML: " + e.getMessage());
        }
    }

    /** Go's url.QueryEscape: space becomes '+', unreserved characters stay. */
    static String queryEscape(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("*", "%2A").replace("%7E", "~");
    }

    private static String queryUnescape(String s) throws BuiltinError {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BuiltinError("urlquery.decode: invalid escape: " + e.getMessage());
        }
    }

    /** Go's url.Values.Encode: keys sorted, one pair per value. */
    private static String encodeObject(ObjectValue o) throws BuiltinError {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Value, Value> e : o.fields().entrySet()) {
            if (!(e.getKey() instanceof StringValue k)) throw new BuiltinError("urlquery.encode_object: keys must be strings");
            List<Value> vs = switch (e.getValue()) {
                case StringValue s -> List.of(s);
                case ArrayValue x -> x.elements();
                case SetValue x -> List.copyOf(x.elements());
                default -> throw new BuiltinError("urlquery.encode_object: values must be strings, arrays or sets of strings");
            };
            for (Value v : vs) {
                if (!(v instanceof StringValue s)) throw new BuiltinError("urlquery.encode_object: values must be strings");
                if (!sb.isEmpty()) sb.append('&');
                sb.append(queryEscape(k.value())).append('=').append(queryEscape(s.value()));
            }
        }
        return sb.toString();
    }

    private static Value decodeObject(String s) throws BuiltinError {
        TreeMap<String, List<Value>> m = new TreeMap<>();
        for (String part : s.split("[&]")) {
            if (part.isEmpty()) continue;
            int eq = part.indexOf('=');
            String k = queryUnescape(eq < 0 ? part : part.substring(0, eq));
            String v = eq < 0 ? "" : queryUnescape(part.substring(eq + 1));
            m.computeIfAbsent(k, x -> new ArrayList<>()).add(Value.str(v));
        }
        TreeMap<Value, Value> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(Value.str(k), new ArrayValue(v)));
        return ObjectValue.adopt(out);
    }
}
