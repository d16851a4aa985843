package io.katacc.policy.builtin;

import io.katacc.policy.builtin.lib.StandardLibrary;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Builtins by dotted name (e.g. {@code "regex.match"}). Build once, then read-only and shareable. */
public final class BuiltinRegistry {
    private final Map<String, BuiltinSpec> byName = new HashMap<>();

    /** An empty registry. */
    public BuiltinRegistry() {}

    /** The core builtins plus the standard library in {@code io.katacc.policy.builtin.lib}. */
    public static BuiltinRegistry standard() {
        BuiltinRegistry r = new BuiltinRegistry();
        CoreBuiltins.registerAll(r);
        StandardLibrary.registerAll(r);
        return r;
    }

    /** Adds a builtin; a name may be registered only once. */
    public BuiltinRegistry register(String name, int arity, Builtin fn) {
        BuiltinSpec spec = new BuiltinSpec(name, arity, fn);
        if (byName.putIfAbsent(name, spec) != null) {
            throw new IllegalStateException("builtin already registered: " + name);
        }
        return this;
    }

    public Optional<BuiltinSpec> lookup(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    public Map<String, BuiltinSpec> all() {
        return Collections.unmodifiableMap(byName);
    }
}
