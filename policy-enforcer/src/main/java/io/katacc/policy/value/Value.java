package io.katacc.policy.value;

/**
 * A Rego runtime value. Values are immutable; ordering follows regorus (null &lt; bool &lt; number &lt;
 * string &lt; array &lt; set &lt; object), which also fixes set/object iteration order.
 */
public sealed interface Value extends Comparable<Value>
        permits NullValue, BoolValue, NumberValue, StringValue, ArrayValue, SetValue, ObjectValue {

    /** Position of this value's type in the total order. */
    int typeRank();

    /** OPA type name: null, boolean, number, string, array, set, object. */
    String typeName();

    @Override
    default int compareTo(Value o) {
        return ValueOrder.compare(this, o);
    }

    /** JSON text, compact (as json.marshal). Sets are written as arrays. */
    default String toJson() {
        return ValueFormat.json(this);
    }

    NullValue NULL = NullValue.INSTANCE;
    BoolValue TRUE = new BoolValue(true);
    BoolValue FALSE = new BoolValue(false);

    static BoolValue bool(boolean b) {
        return b ? TRUE : FALSE;
    }

    static StringValue str(String s) {
        return new StringValue(s);
    }

    static NumberValue num(long n) {
        return NumberValue.of(n);
    }
}
