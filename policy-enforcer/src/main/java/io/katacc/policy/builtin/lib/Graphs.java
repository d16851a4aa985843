package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinError;
import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.value.ArrayValue;
import io.katacc.policy.value.NullValue;
import io.katacc.policy.value.ObjectValue;
import io.katacc.policy.value.SetValue;
import io.katacc.policy.value.Value;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** graph.reachable: vertices of {@code graph} (node -> array/set of neighbours) reachable from {@code initial}. */
final class Graphs {
    private Graphs() {}

    static void registerAll(BuiltinRegistry r) {
        r.register("graph.reachable", 2, (c, a) -> {
            ObjectValue g = Args.obj("graph.reachable", a, 0);
            ArrayDeque<Value> queue = new ArrayDeque<>(Args.collection("graph.reachable", a, 1));
            TreeSet<Value> reached = new TreeSet<>();
            while (!queue.isEmpty()) {
                Value n = queue.poll();
                if (reached.contains(n)) continue;
                Value edges = g.get(n);
                if (edges == null) continue; // only vertices of the graph are reported, as OPA
                reached.add(n);
                queue.addAll(neighbours(edges));
            }
            return SetValue.adopt(reached);
        });
    }

    private static Collection<Value> neighbours(Value edges) throws BuiltinError {
        return switch (edges) {
            case ArrayValue x -> x.elements();
            case SetValue x -> x.elements();
            case NullValue n -> List.of();
            default -> throw new BuiltinError(BuiltinError.Kind.TYPE,
                    "graph.reachable: edges must be an array or set, got " + edges.typeName());
        };
    }
}
