package io.katacc.policy.builtin;

/** A builtin failed (bad argument type, malformed input, ...). */
public class BuiltinError extends Exception {
    /** OPA error class: a wrong operand type is a type error, anything else a builtin error. */
    public enum Kind { TYPE, BUILTIN }

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

    /** A type error naming the function, operand position (1-based) and the types involved. */
    public static BuiltinError type(String fn, int operand, String expected, io.katacc.policy.value.Value got) {
        return new BuiltinError(Kind.TYPE,
                fn + ": operand " + operand + " must be " + expected + " but got " + got.typeName());
    }
}
