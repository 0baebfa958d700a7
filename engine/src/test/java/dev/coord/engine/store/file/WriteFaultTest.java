package dev.coord.engine.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.model.DecisionDraft;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRequest;
import dev.coord.engine.testing.FakeClock;
import dev.coord.engine.testing.FakeProbe;
import dev.coord.engine.testing.Instances;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes that fail in the middle of a transaction, injected without a special file system (FullDiskIT does it with a
 * real full tmpfs): the call fails with STORE_UNAVAILABLE, no state document changes, no torn record stays, and the
 * same call works once the cause is gone.
 */
class WriteFaultTest {
    @TempDir
    Path dir;

    private final FakeClock clock = FakeClock.at("2026-11-21T10:00:00Z");

    private FileStore open() {
        return FileStore.open(
                dir,
                clock,
                new LivenessJudge(
                        Duration.ofSeconds(30),
                        new HostIdentity(Instances.HOST, Instances.BOOT, 1, null),
                        new FakeProbe()),
                FileStoreOptions.defaults());
    }

    private static List<LockRequest> ex(String path) {
        return List.of(new LockRequest(path, LockMode.EXCLUSIVE, null));
    }

    @Test
    void aFailedLockTableWriteChangesNothingAndTheCallWorksAfterwards() throws IOException {
        FileStore store = open();
        Instance a = Instances.instance("claude-a", 101, clock.instant());
        store.register(a);
        assertThat(store.acquire(a, ex("x"), Duration.ofMinutes(5), null, null).acquired())
                .isTrue();
        byte[] locks = Files.readAllBytes(dir.resolve("locks.json"));
        // the rename of the new lock table onto locks.json fails: a directory stands in its way
        Path moved = dir.resolve("locks.json.real");
        Files.move(dir.resolve("locks.json"), moved);
        Files.createDirectory(dir.resolve("locks.json"));
        try {
            assertThatThrownBy(() -> store.acquire(a, ex("y"), Duration.ofMinutes(5), null, null))
                    .isInstanceOf(CoordException.class)
                    .satisfies(e -> assertThat(((CoordException) e).code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE))
                    .hasMessageContaining(dir.toString());
        } finally {
            Files.delete(dir.resolve("locks.json"));
            Files.move(moved, dir.resolve("locks.json"));
        }
        assertThat(Files.readAllBytes(dir.resolve("locks.json"))).isEqualTo(locks);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
        assertThat(store.acquire(a, ex("y"), Duration.ofMinutes(5), null, null).acquired())
                .isTrue();
        assertThat(store.read().locks()).hasSize(2);
        store.close();
    }

    @Test
    void aFailedAppendIsCutBackSoNoTornRecordStays() throws IOException {
        Path log = dir.resolve("log.jsonl");
        Files.writeString(log, "{\"a\":1}\n");
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            long before = ch.size();
            ch.write(java.nio.ByteBuffer.wrap("{\"b\":".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            IOException full = new IOException("No space left on device");
            AppendLog.cutBack(ch, before, full);
            assertThat(full.getSuppressed()).isEmpty();
        }
        assertThat(Files.readString(log)).isEqualTo("{\"a\":1}\n");
    }

    @Test
    void theErrorSaysWhatToDo() {
        assertThat(FileStore.hint(new IOException("No space left on device"))).contains("disk is full");
        assertThat(FileStore.hint(new FileSystemException("/s/.locks.json.1.tmp: Read-only file system")))
                .contains("read-only");
        assertThat(FileStore.hint(new IOException("Input/output error"))).isEmpty();
    }

    @Test
    void aDecisionThatCouldNotBeWrittenIsNotAcknowledgedAndTheNextOneIs() throws IOException {
        FileStore store = open();
        Instance a = Instances.instance("claude-a", 101, clock.instant());
        store.register(a);
        DecisionDraft draft = new DecisionDraft("c", "t", "d", null, List.of(), null);
        // decisions.jsonl is a directory: the append fails
        Files.createDirectory(dir.resolve("decisions.jsonl"));
        assertThatThrownBy(() -> store.appendDecision(a, draft))
                .isInstanceOf(CoordException.class)
                .satisfies(e -> assertThat(((CoordException) e).code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE));
        Files.delete(dir.resolve("decisions.jsonl"));
        assertThat(store.appendDecision(a, draft).id()).endsWith("-0001");
        assertThat(store.decisions(new dev.coord.engine.model.DecisionQuery(null, null, null, 10)))
                .hasSize(1);
        store.close();
    }
}
