package io.katacc.policy.eval;

/** Evaluation failed (conflict, type error in strict mode, limit exceeded, ...). */
public class EvalError extends RuntimeException {
    /** OPA error codes, so callers and tests can tell error classes apart. */
    public enum Code { CONFLICT, TYPE, BUILTIN, UNSAFE_VAR, LIMIT, RECURSION, UNSUPPORTED, COMPILE }

    private final Code code;

    public EvalError(Code code, String message) {
        super(message);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
