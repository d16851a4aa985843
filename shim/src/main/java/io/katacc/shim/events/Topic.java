package io.katacc.shim.events;

import com.google.protobuf.Message;
import io.katacc.shim.api.events.TaskCreate;
import io.katacc.shim.api.events.TaskDelete;
import io.katacc.shim.api.events.TaskExecAdded;
import io.katacc.shim.api.events.TaskExecStarted;
import io.katacc.shim.api.events.TaskExit;
import io.katacc.shim.api.events.TaskOOM;
import io.katacc.shim.api.events.TaskPaused;
import io.katacc.shim.api.events.TaskResumed;
import io.katacc.shim.api.events.TaskStart;

import java.util.Map;

/** containerd's task topics, keyed by the event message that travels on each. */
public final class Topic {
    private static final Map<Class<? extends Message>, String> TOPICS = Map.of(
            TaskCreate.class, "/tasks/create",
            TaskStart.class, "/tasks/start",
            TaskExit.class, "/tasks/exit",
            TaskDelete.class, "/tasks/delete",
            TaskExecAdded.class, "/tasks/exec-added",
            TaskExecStarted.class, "/tasks/exec-started",
            TaskOOM.class, "/tasks/oom",
            TaskPaused.class, "/tasks/paused",
            TaskResumed.class, "/tasks/resumed");

    private Topic() {
    }

    public static String of(Message event) {
        String t = TOPICS.get(event.getClass());
        if (t == null) {
            throw new IllegalArgumentException("no containerd topic for " + event.getDescriptorForType().getFullName());
        }
        return t;
    }
}
