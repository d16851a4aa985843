package io.katacc.ttrpc.status;

import io.katacc.ttrpc.proto.rpc.Status;

/** A failed call: a gRPC code plus message, thrown by handlers and by client calls. */
public class TtrpcException extends RuntimeException {
    private final Code code;

    public TtrpcException(Code code, String message) {
        this(code, message, null);
    }

    public TtrpcException(Code code, String message, Throwable cause) {
        super(message, cause);
        if (code == Code.OK) {
            throw new IllegalArgumentException("a TtrpcException cannot carry code OK");
        }
        this.code = code;
    }

    public Code code() {
        return code;
    }

    /** The message without the code prefix that {@link #getMessage()} has. */
    public String description() {
        return super.getMessage();
    }

    @Override
    public String getMessage() {
        return code + ": " + super.getMessage();
    }

    public Status toStatus() {
        return Status.newBuilder().setCode(code.value()).setMessage(description()).build();
    }

    public static TtrpcException fromStatus(Status status) {
        return new TtrpcException(Code.of(status.getCode()), status.getMessage());
    }
}
