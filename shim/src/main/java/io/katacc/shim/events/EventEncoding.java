package io.katacc.shim.events;

import com.google.protobuf.Any;
import com.google.protobuf.Message;

/** How containerd expects an event on the publish binary's stdin. */
public final class EventEncoding {
    private EventEncoding() {
    }

    /**
     * A google.protobuf.Any whose type_url is the bare full message name ("containerd.events.TaskExit"),
     * as containerd's typeurl writes it: containerd 1.6's gogo registry resolves only that form.
     */
    public static Any toAny(Message event) {
        return Any.newBuilder()
                .setTypeUrl(event.getDescriptorForType().getFullName())
                .setValue(event.toByteString())
                .build();
    }
}
