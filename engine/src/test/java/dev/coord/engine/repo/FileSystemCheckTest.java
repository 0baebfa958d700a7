package dev.coord.engine.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemCheckTest {

    @Test
    void localTempDirIsNotANetworkFileSystem(@TempDir Path dir) {
        assertThat(FileSystemCheck.networkFileSystem(dir)).isEmpty();
    }

    @Test
    void missingDirectoryIsJudgedByItsDeepestExistingAncestor(@TempDir Path dir) {
        assertThat(FileSystemCheck.networkFileSystem(dir.resolve("not/yet/there")))
                .isEmpty();
    }

    @Test
    void networkTypes() {
        for (String type : new String[] {
            "nfs",
            "nfs4",
            "NFS4",
            "cifs",
            "smb",
            "smb2",
            "smbfs",
            "fuse.sshfs",
            "sshfs",
            "afs",
            "9p",
            "ceph",
            "glusterfs",
            "fuse.glusterfs",
            "lustre",
            "gpfs",
            "davfs",
            "fuse.s3fs",
            "fuse.rclone",
            "vboxsf"
        }) {
            assertThat(FileSystemCheck.isNetworkType(type)).as(type).isTrue();
        }
    }

    @Test
    void localTypes() {
        for (String type : new String[] {
            "ext4", "xfs", "btrfs", "zfs", "tmpfs", "overlay", "apfs", "ntfs", "fuse", "fuseblk", "fuse.gocryptfs", ""
        }) {
            assertThat(FileSystemCheck.isNetworkType(type)).as(type).isFalse();
        }
        assertThat(FileSystemCheck.isNetworkType(null)).isFalse();
    }
}
