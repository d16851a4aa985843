package io.katacc.ttrpc.wire;

/** What the frame decoder hands upstream: a well-formed frame, or a frame it had to reject. */
public sealed interface Inbound permits Frame, RejectedFrame {
    int streamId();
}
