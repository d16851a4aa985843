package io.katacc.shim.hypervisor;

/** A stand-in shim: launches a long-running "VMM" through ProcessLauncher, prints its pid, then waits to be killed. */
public final class LauncherChild {
    public static void main(String[] args) throws Exception {
        ProcessLauncher launcher = new ProcessLauncher();
        // launched from a virtual thread whose carrier may go away: the launcher's own thread forks it
        Process[] vm = new Process[1];
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                vm[0] = launcher.start(new ProcessBuilder("sleep", "300"));
            } catch (java.io.IOException e) {
                throw new RuntimeException(e);
            }
        });
        t.join();
        System.out.println(vm[0].pid());
        System.out.flush();
        Thread.sleep(300_000);
    }
}
