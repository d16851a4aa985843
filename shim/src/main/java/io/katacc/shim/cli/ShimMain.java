package io.katacc.shim.cli;

import io.katacc.shim.api.task.DeleteResponse;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Entry point of {@code containerd-shim-kata-cc-v2}. Exit status 0 on success, 1 with a message on
 * stderr otherwise, as containerd expects of a shim binary.
 */
public final class ShimMain {
    private ShimMain() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.getenv(), System.out, System.err));
    }

    static int run(List<String> argv, Map<String, String> env, PrintStream out, PrintStream err) {
        try {
            ShimFlags flags = FlagParser.parse(argv);
            if (flags.version()) {
                out.print(ShimVersion.text());
                return 0;
            }
            Path bundle = flags.bundle().orElse(Path.of("").toAbsolutePath());
            Path socketDir = Path.of(env.getOrDefault(ShimSocket.DIR_ENV, ShimSocket.DEFAULT_DIR.toString()));
            String action = flags.action().orElse("");
            switch (action) {
                case "start" -> {
                    out.print(new StartCommand(socketDir, selfLauncher(), Duration.ofSeconds(30)).run(flags, bundle));
                    return 0;
                }
                case "delete" -> {
                    DeleteResponse r = new DeleteCommand(stateRoot(env), socketDir, Clock.systemUTC()).run(flags, bundle);
                    r.writeTo(out);
                    out.flush();
                    return 0;
                }
                case "" -> {
                    ShimServer.serve(flags, bundle, env);
                    return 0;
                }
                default -> throw new IllegalArgumentException("unknown action \"" + action + "\" (want start or delete)");
            }
        } catch (IllegalArgumentException | UnsupportedOperationException | IOException
                 | io.katacc.shim.config.ConfigException e) {
            err.println(ShimVersion.BINARY + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(ShimVersion.BINARY + ": interrupted");
            return 1;
        }
    }

    static Path stateRoot(Map<String, String> env) {
        return Path.of(env.getOrDefault("KATA_CC_STATE_DIR", "/run/kata-cc"));
    }

    /** This JVM, same class path, running this main: the daemonized server. */
    static List<String> selfLauncher() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ShimMain.class.getName());
        return cmd;
    }

}
