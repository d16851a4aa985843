package io.katacc.shim.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the runtime configuration file, first match wins:
 * <ol>
 *   <li>pod annotation {@value #ANNOTATION} (only when the file lies under an allowed directory,
 *       so a pod cannot point the shim at an arbitrary host file);</li>
 *   <li>environment variable {@value #ENV};</li>
 *   <li>{@code /etc/kata-cc/configuration.toml}, then {@code /usr/share/defaults/kata-cc/configuration.toml}.</li>
 * </ol>
 */
public final class ConfigLocator {
    public static final String ANNOTATION = "io.katacontainers.config_path";
    public static final String ENV = "KATA_CC_CONF_FILE";
    public static final List<Path> DEFAULT_PATHS = List.of(
            Path.of("/etc/kata-cc/configuration.toml"),
            Path.of("/usr/share/defaults/kata-cc/configuration.toml"));

    private final Map<String, String> env;
    private final List<Path> defaults;
    private final List<Path> annotationRoots;

    public ConfigLocator(Map<String, String> env, List<Path> defaults, List<Path> annotationRoots) {
        this.env = Map.copyOf(env);
        this.defaults = List.copyOf(defaults);
        this.annotationRoots = List.copyOf(annotationRoots);
    }

    public static ConfigLocator system() {
        return forEnv(System.getenv());
    }

    public static ConfigLocator forEnv(Map<String, String> env) {
        return new ConfigLocator(env, DEFAULT_PATHS,
                List.of(Path.of("/etc/kata-cc"), Path.of("/usr/share/defaults/kata-cc")));
    }

    public Path locate(Map<String, String> annotations) {
        String fromAnnotation = annotations.get(ANNOTATION);
        if (fromAnnotation != null && !fromAnnotation.isEmpty()) {
            Path p = Path.of(fromAnnotation).normalize();
            if (!p.isAbsolute() || annotationRoots.stream().noneMatch(p::startsWith)) {
                throw new ConfigException("annotation " + ANNOTATION + " = " + fromAnnotation
                        + " is not under an allowed configuration directory " + annotationRoots);
            }
            return p;
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return Path.of(fromEnv);
        }
        Optional<Path> found = defaults.stream().filter(Files::isRegularFile).findFirst();
        return found.orElseThrow(() -> new ConfigException("no runtime configuration found: set " + ENV
                + " or create one of " + defaults));
    }
}
