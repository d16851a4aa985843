package io.katacc.policy.builtin.lib;

import io.katacc.policy.builtin.BuiltinError;
import io.katacc.policy.builtin.BuiltinRegistry;
import io.katacc.policy.value.ArrayValue;
import io.katacc.policy.value.NumberValue;
import io.katacc.policy.value.SetValue;
import io.katacc.policy.value.Value;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** Aggregates (sum, product, max, min, sort), array.* and set union/intersection. */
final class Collections {
    private Collections() {}

    static void registerAll(BuiltinRegistry r) {
        r.register("sum", 1, (c, a) -> {
            BigDecimal s = BigDecimal.ZERO;
            for (Value v : numbers("sum", a)) s = s.add(((NumberValue) v).decimal());
            return NumberValue.of(s);
        });
        r.register("product", 1, (c, a) -> {
            BigDecimal s = BigDecimal.ONE;
            for (Value v : numbers("product", a)) s = s.multiply(((NumberValue) v).decimal());
            return NumberValue.of(s);
        });
        r.register("max", 1, (c, a) -> {
            Collection<Value> xs = Args.collection("max", a, 0);
            if (xs.isEmpty()) throw Undefined.because("max: empty collection");
            return java.util.Collections.max(xs);
        });
        r.register("min", 1, (c, a) -> {
            Collection<Value> xs = Args.collection("min", a, 0);
            if (xs.isEmpty()) throw Undefined.because("min: empty collection");
            return java.util.Collections.min(xs);
        });
        r.register("sort", 1, (c, a) -> {
            List<Value> xs = new ArrayList<>(Args.collection("sort", a, 0));
            java.util.Collections.sort(xs);
            return new ArrayValue(xs);
        });
        r.register("array.concat", 2, (c, a) -> {
            List<Value> xs = new ArrayList<>(Args.arr("array.concat", a, 0).elements());
            xs.addAll(Args.arr("array.concat", a, 1).elements());
            return new ArrayValue(xs);
        });
        r.register("array.reverse", 1, (c, a) -> {
            List<Value> xs = new ArrayList<>(Args.arr("array.reverse", a, 0).elements());
            java.util.Collections.reverse(xs);
            return new ArrayValue(xs);
        });
        r.register("array.slice", 3, (c, a) -> {
            ArrayValue x = Args.arr("array.slice", a, 0);
            long start = clampIndex(sliceIndex(a, 1), x.size());
            long stop = clampIndex(sliceIndex(a, 2), x.size());
            if (start >= stop) return ArrayValue.EMPTY;
            return new ArrayValue(x.elements().subList((int) start, (int) stop));
        });
        r.register("union", 1, (c, a) -> {
            TreeSet<Value> out = new TreeSet<>();
            for (Value v : Args.set("union", a, 0).elements()) {
                if (!(v instanceof SetValue s)) throw BuiltinError.type("union", 1, "set of sets", v);
                out.addAll(s.elements());
            }
            return SetValue.adopt(out);
        });
        r.register("intersection", 1, (c, a) -> {
            TreeSet<Value> out = null;
            for (Value v : Args.set("intersection", a, 0).elements()) {
                if (!(v instanceof SetValue s)) throw BuiltinError.type("intersection", 1, "set of sets", v);
                if (out == null) out = new TreeSet<>(s.elements());
                else out.retainAll(s.elements());
            }
            return out == null ? SetValue.EMPTY : SetValue.adopt(out);
        });
    }

    private static NumberValue sliceIndex(List<Value> a, int i) throws BuiltinError {
        NumberValue n = Args.num("array.slice", a, i);
        if (!n.isInteger()) throw Undefined.because("array.slice: index " + n + " is not an integer");
        return n;
    }

    /** Index clamped to [0, size]. */
    private static long clampIndex(NumberValue n, int size) {
        BigDecimal d = n.decimal().setScale(0, java.math.RoundingMode.FLOOR);
        if (d.signum() < 0) return 0;
        if (d.compareTo(BigDecimal.valueOf(size)) > 0) return size;
        return d.longValue();
    }

    private static Collection<Value> numbers(String fn, List<Value> a) throws BuiltinError {
        Collection<Value> xs = Args.collection(fn, a, 0);
        for (Value v : xs) {
            if (!(v instanceof NumberValue)) throw BuiltinError.type(fn, 1, "collection of numbers", v);
        }
        return xs;
    }
}
