package io.katacc.agent.error;

/** A request the agent refuses or could not carry out; {@link Kind} becomes the ttrpc status code. */
public class AgentException extends RuntimeException {

    public enum Kind { INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, PERMISSION_DENIED, INTERNAL, UNIMPLEMENTED }

    private final Kind kind;

    public AgentException(Kind kind, String message) {
        this(kind, message, null);
    }

    public AgentException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static AgentException notFound(String what) {
        return new AgentException(Kind.NOT_FOUND, what);
    }

    public static AgentException invalid(String what) {
        return new AgentException(Kind.INVALID_ARGUMENT, what);
    }
}
