package io.katacc.shim.cli;

import com.google.protobuf.Timestamp;
import io.katacc.shim.api.task.DeleteResponse;
import io.katacc.shim.state.SandboxState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/**
 * {@code delete}: containerd runs this when the shim is gone. Kill whatever the dead shim left
 * (its VM, its socket, its state) and answer like containerd-shim-runc-v2: the task died by SIGKILL.
 */
public final class DeleteCommand {
    private static final int SIGKILL = 9;

    private final Path stateRoot;
    private final Path socketDir;
    private final Clock clock;

    public DeleteCommand(Path stateRoot, Path socketDir, Clock clock) {
        this.stateRoot = stateRoot;
        this.socketDir = socketDir;
        this.clock = clock;
    }

    public DeleteResponse run(ShimFlags flags, Path bundle) throws IOException {
        if (flags.id().isEmpty() || flags.namespace().isEmpty()) {
            throw new IllegalArgumentException("delete needs -id and -namespace");
        }
        String group = Files.isRegularFile(bundle.resolve("config.json"))
                ? BundleSpec.read(bundle).groupId(flags.id()) : flags.id();
        ShimSocket socket = ShimSocket.forGroup(socketDir, flags.address(), flags.namespace(), group);
        // Only the pod's last container takes the VM down; a live shim still owns it.
        if (group.equals(flags.id()) && !socket.alive()) {
            SandboxState.of(stateRoot, flags.namespace(), group).destroy();
            Files.deleteIfExists(socket.path());
        }
        Instant now = clock.instant();
        return DeleteResponse.newBuilder()
                .setExitStatus(128 + SIGKILL)
                .setExitedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .build();
    }
}
