package io.katacc.ttrpc.wire;

import io.katacc.ttrpc.status.Code;

/**
 * A frame the decoder skipped (its payload is discarded, so the byte stream stays in sync), with the
 * status the receiver should report for that stream.
 */
public record RejectedFrame(int streamId, byte type, Code code, String reason) implements Inbound {
}
