package io.katacc.agent.policy;

/**
 * Which generation of Kata's policy input JSON to produce. genpolicy-generated rules read
 * {@code input} field by field, so the agent must speak the dialect the policy was generated for.
 *
 * @param name             label for logs and errors
 * @param interfacePciPath {@code types.Interface} field 6 is named {@code pciPath} (before upstream renamed it {@code devicePath})
 * @param routeFlagsMtu    {@code types.Route} carries {@code flags} and {@code mtu}
 * @param stdioPorts       Create/ExecProcess requests carry {@code stdin_port}/{@code stdout_port}/{@code stderr_port}
 * @param storageShared    {@code Storage} carries {@code shared}
 * @param copyFile         how CopyFileRequest is presented to the rules
 */
public record PolicyInputShape(String name, boolean interfacePciPath, boolean routeFlagsMtu, boolean stdioPorts,
                               boolean storageShared,
                               CopyFileShape copyFile) {

    /** How the agent presents a CopyFileRequest: never with its raw data bytes. */
    public enum CopyFileShape {
        /** {@code symlink_src}: the link target for symlinks, "" otherwise (AKS agent, 2024). */
        SYMLINK_SRC,
        /** {@code file_type} + {@code symlink_target} (upstream PolicyCopyFileRequest). */
        FILE_TYPE
    }

    /** The shape of the AKS (kata-cc) agent genpolicy targeted in 2024: the pod-* reference cases. */
    public static final PolicyInputShape AKS_2024 =
            new PolicyInputShape("aks-2024", true, false, false, false, CopyFileShape.SYMLINK_SRC);

    /** AKS_2024 plus the passfd stdio ports on CreateContainerRequest/ExecProcessRequest (k8s-policy-* cases). */
    public static final PolicyInputShape AKS_2024_PASSFD =
            new PolicyInputShape("aks-2024-passfd", true, false, true, false, CopyFileShape.SYMLINK_SRC);

    /** Current upstream kata-containers (2026). */
    public static final PolicyInputShape UPSTREAM =
            new PolicyInputShape("upstream", false, true, true, true, CopyFileShape.FILE_TYPE);

    public static PolicyInputShape byName(String name) {
        for (PolicyInputShape s : new PolicyInputShape[] {AKS_2024, AKS_2024_PASSFD, UPSTREAM}) {
            if (s.name.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown policy input shape '" + name
                + "' (known: aks-2024, aks-2024-passfd, upstream)");
    }
}
