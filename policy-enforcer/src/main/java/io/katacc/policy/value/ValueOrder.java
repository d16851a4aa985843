package io.katacc.policy.value;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Total order over values (regorus' order: by type rank, then by content). */
final class ValueOrder {
    private ValueOrder() {}

    static int compare(Value a, Value b) {
        if (a == b) return 0;
        int r = Integer.compare(a.typeRank(), b.typeRank());
        if (r != 0) return r;
        return switch (a) {
            case NullValue n -> 0;
            case BoolValue x -> Boolean.compare(x.value(), ((BoolValue) b).value());
            case NumberValue x -> x.decimal().compareTo(((NumberValue) b).decimal());
            case StringValue x -> x.value().compareTo(((StringValue) b).value());
            case ArrayValue x -> lists(x.elements(), ((ArrayValue) b).elements());
            case SetValue x -> iterators(x.elements().iterator(), ((SetValue) b).elements().iterator());
            case ObjectValue x -> objects(x.fields(), ((ObjectValue) b).fields());
        };
    }

    private static int lists(List<Value> a, List<Value> b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = compare(a.get(i), b.get(i));
            if (c != 0) return c;
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int iterators(Iterator<Value> a, Iterator<Value> b) {
        while (a.hasNext() && b.hasNext()) {
            int c = compare(a.next(), b.next());
            if (c != 0) return c;
        }
        return Boolean.compare(a.hasNext(), b.hasNext());
    }

    private static int objects(Map<Value, Value> a, Map<Value, Value> b) {
        Iterator<Map.Entry<Value, Value>> ia = a.entrySet().iterator(), ib = b.entrySet().iterator();
        while (ia.hasNext() && ib.hasNext()) {
            Map.Entry<Value, Value> ea = ia.next(), eb = ib.next();
            int c = compare(ea.getKey(), eb.getKey());
            if (c != 0) return c;
            c = compare(ea.getValue(), eb.getValue());
            if (c != 0) return c;
        }
        return Boolean.compare(ia.hasNext(), ib.hasNext());
    }
}
