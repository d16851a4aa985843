package io.katacc.policy.builtin;

/** A builtin failed (bad argument type, malformed input, ...). */
public class BuiltinError extends Exception {
    /** OPA error class: a wrong operand type is a type error, anything else a builtin error. */
    public enum Kind {
        TYPE,
        BUILTIN,
        /** Not an error: the result is undefined (e.g. json.patch on a bad path), even in strict mode. */
        UNDEFINED
    }

    private final Kind kind;

    public BuiltinError(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public BuiltinError(String message) {
        this(Kind.BUILTIN, message);
    }

    public Kind kind() {
        return kind;
    }

    /** The call has no result (undefined), in strict and non-strict mode alike. */
    public static BuiltinError undefined(String why) {
        return new BuiltinError(Kind.UNDEFINED, why);
    }

    /** A type error naming the function, operand position (1-based) and the types involved. */
    public static BuiltinError type(String fn, int operand, String expected, io.katacc.policy.value.Value got) {
        return new BuiltinError(Kind.TYPE,
                fn + ": operand " + operand + " must be " + expected + " but got " + got.typeName());
    }
}
