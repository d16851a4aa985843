package io.katacc.ttrpc.metadata;

import io.katacc.ttrpc.proto.KeyValue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Request metadata ({@code ttrpc.Request.metadata}): an ordered multimap, one {@code KeyValue} per value
 * on the wire, as Go's {@code ttrpc.MD} does. Keys are case-sensitive strings, as in Go ttrpc.
 */
public record Metadata(Map<String, List<String>> entries) {
    public static final Metadata EMPTY = new Metadata(Map.of());

    public Metadata {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        entries.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        entries = Collections.unmodifiableMap(copy);
    }

    public static Metadata of(String key, String value) {
        return EMPTY.with(key, value);
    }

    /** A copy with {@code value} appended to {@code key}'s values. */
    public Metadata with(String key, String value) {
        Map<String, List<String>> copy = new LinkedHashMap<>(entries);
        List<String> values = new ArrayList<>(copy.getOrDefault(key, List.of()));
        values.add(value);
        copy.put(key, values);
        return new Metadata(copy);
    }

    public List<String> get(String key) {
        return entries.getOrDefault(key, List.of());
    }

    public Optional<String> first(String key) {
        List<String> values = get(key);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public List<KeyValue> toWire() {
        List<KeyValue> out = new ArrayList<>();
        entries.forEach((k, vs) -> vs.forEach(v -> out.add(KeyValue.newBuilder().setKey(k).setValue(v).build())));
        return out;
    }

    public static Metadata fromWire(List<KeyValue> pairs) {
        if (pairs.isEmpty()) {
            return EMPTY;
        }
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (KeyValue kv : pairs) {
            map.computeIfAbsent(kv.getKey(), k -> new ArrayList<>()).add(kv.getValue());
        }
        return new Metadata(map);
    }
}
