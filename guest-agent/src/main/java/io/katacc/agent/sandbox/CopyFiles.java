package io.katacc.agent.sandbox;

import io.katacc.agent.api.CopyFileRequest;
import io.katacc.agent.error.AgentException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** CopyFile: host-provided files (resolv.conf, ConfigMaps, Secrets) into the shared containers directory only. */
public final class CopyFiles {

    private static final String SHARED = "/run/kata-containers/shared/containers/";
    private final Path sharedDir;

    /** @param sharedDir where the guest's {@value #SHARED} lives on this machine */
    public CopyFiles(Path sharedDir) {
        this.sharedDir = sharedDir.toAbsolutePath().normalize();
    }

    public void copy(CopyFileRequest req) {
        String path = req.getPath();
        if (!path.startsWith(SHARED) || path.length() == SHARED.length()) {
            throw AgentException.invalid("CopyFile path '" + path + "' is not below " + SHARED);
        }
        String rel = path.substring(SHARED.length());
        for (String part : rel.split("/")) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw AgentException.invalid("CopyFile path '" + path + "' is not canonical");
            }
        }
        if (req.getOffset() < 0 || req.getFileSize() < 0) {
            throw AgentException.invalid("CopyFile offset and file_size must not be negative");
        }
        Path target = sharedDir.resolve(rel);
        try {
            mkdirs(target.getParent(), req.getDirMode());
            int type = req.getFileMode() & 0170000;
            if (type == 0040000) {
                if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(target);
                    Files.createDirectory(target);
                }
                Files.setPosixFilePermissions(target, perms(req.getFileMode()));
            } else if (type == 0120000) {
                Files.deleteIfExists(target);
                Files.createSymbolicLink(target, Path.of(req.getData().toStringUtf8()));
            } else if (type == 0100000 || type == 0) {
                writeChunk(req, target);
            } else {
                throw AgentException.invalid("CopyFile of file type " + Integer.toOctalString(type) + " is not supported");
            }
        } catch (IOException e) {
            throw new AgentException(AgentException.Kind.INTERNAL, "CopyFile " + path + ": " + e.getMessage(), e);
        }
    }

    /** Chunks go to a temporary file that replaces the target once complete, so readers never see half a file. */
    private void writeChunk(CopyFileRequest req, Path target) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".kcc-tmp");
        if (req.getOffset() == 0) {
            Files.deleteIfExists(tmp);
        } else if (!Files.exists(tmp) || Files.size(tmp) != req.getOffset()) {
            throw AgentException.invalid("CopyFile chunk at offset " + req.getOffset() + " does not follow the previous chunk");
        }
        if (req.getOffset() + req.getData().size() > req.getFileSize()) {
            throw AgentException.invalid("CopyFile data goes past file_size " + req.getFileSize());
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buf = req.getData().asReadOnlyByteBuffer();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
        if (Files.size(tmp) == req.getFileSize()) {
            Files.setPosixFilePermissions(tmp, perms(req.getFileMode()));
            Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private void mkdirs(Path dir, int mode) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, perms(mode));
        }
    }

    private static Set<PosixFilePermission> perms(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE};
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                s.add(order[i]);
            }
        }
        return s;
    }
}
