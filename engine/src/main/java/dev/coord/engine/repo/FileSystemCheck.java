package dev.coord.engine.repo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Detects network and host-shared file systems, where file locks are unreliable: coord must refuse them
 * or warn loudly.
 */
public final class FileSystemCheck {

    /** File system types (as in {@code /proc/mounts}, without a {@code fuse.} prefix) that are remote. */
    private static final Set<String> REMOTE_TYPES = Set.of(
            "nfs",
            "nfs4",
            "cifs",
            "smb",
            "smb2",
            "smb3",
            "smbfs",
            "sshfs",
            "afs",
            "9p",
            "ceph",
            "cephfs",
            "glusterfs",
            "lustre",
            "gpfs",
            "davfs",
            "davfs2",
            "webdav",
            "s3fs",
            "rclone",
            "gcsfuse",
            "goofys",
            "juicefs",
            "beegfs",
            "orangefs",
            "pvfs2",
            "ncpfs",
            "coda",
            "vboxsf",
            "vmhgfs",
            "vmhgfs-fuse",
            "prl_fs",
            "drvfs");

    private static final String FUSE_PREFIX = "fuse.";

    private FileSystemCheck() {}

    /**
     * The type of the file system holding {@code dir} (or its deepest existing ancestor) when it is a
     * network or host-shared one, else empty. Also empty when the file system cannot be determined.
     */
    public static Optional<String> networkFileSystem(Path dir) {
        Objects.requireNonNull(dir, "dir");
        Path existing = dir.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return Optional.empty();
        }
        String type;
        try {
            type = Files.getFileStore(existing).type();
        } catch (IOException e) {
            return Optional.empty();
        }
        return isNetworkType(type) ? Optional.of(type) : Optional.empty();
    }

    /** Whether a file system type names a network or host-shared file system ({@code fuse.X} as {@code X}). */
    static boolean isNetworkType(String type) {
        if (type == null) {
            return false;
        }
        String t = type.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith(FUSE_PREFIX)) {
            t = t.substring(FUSE_PREFIX.length());
        }
        return REMOTE_TYPES.contains(t);
    }
}
