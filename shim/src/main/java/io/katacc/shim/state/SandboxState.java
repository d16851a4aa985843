package io.katacc.shim.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A sandbox's state directory ({@code <state_dir>/<namespace>/<sandbox id>}): the hypervisor's sockets
 * and a record of the VM process, so {@code delete} can clean up after a shim that died.
 */
public record SandboxState(Path dir) {
    private static final String VM_PID = "vm.pid";

    public static SandboxState of(Path stateRoot, String namespace, String sandboxId) {
        for (String part : List.of(namespace, sandboxId)) {
            if (part.isEmpty() || part.contains("/") || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("invalid namespace or sandbox id for a state path: \"" + part + "\"");
            }
        }
        return new SandboxState(stateRoot.resolve(namespace).resolve(sandboxId));
    }

    public Path create() throws IOException {
        Files.createDirectories(dir);
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    /** Records the VM process with its start instant, which tells a live VM from a recycled pid. */
    public void recordVm(ProcessHandle vm) throws IOException {
        String started = vm.info().startInstant().map(Object::toString).orElse("");
        Files.writeString(file(VM_PID), vm.pid() + "\n" + started + "\n");
    }

    /** The recorded VM process if it is still the same process. */
    public Optional<ProcessHandle> recordedVm() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file(VM_PID));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.getFirst().strip());
        } catch (NumberFormatException e) {
            throw new IOException(file(VM_PID) + " is corrupt: " + lines.getFirst());
        }
        String started = lines.size() > 1 ? lines.get(1).strip() : "";
        return ProcessHandle.of(pid).filter(h -> h.info().startInstant().map(Object::toString).orElse("").equals(started));
    }

    /** Kills the recorded VM (if still ours) and removes the directory. */
    public void destroy() throws IOException {
        Optional<ProcessHandle> vm = recordedVm();
        if (vm.isPresent()) {
            vm.get().destroyForcibly();
            vm.get().onExit().join();
        }
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
