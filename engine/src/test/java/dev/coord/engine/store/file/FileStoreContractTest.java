package dev.coord.engine.store.file;

import dev.coord.engine.json.Json;
import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.store.CoordStore;
import dev.coord.engine.store.CoordStoreContract;
import dev.coord.engine.testing.FakeClock;
import dev.coord.engine.testing.FakeProbe;
import dev.coord.engine.testing.Instances;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

class FileStoreContractTest extends CoordStoreContract {
    @TempDir
    Path dir;

    private final FakeClock clock = FakeClock.at("2026-11-21T10:00:00Z");
    private final FakeProbe probe = new FakeProbe();

    @Override
    protected CoordStore openStore() {
        return reopen();
    }

    @Override
    protected CoordStore reopen() {
        LivenessJudge judge =
                new LivenessJudge(STALE, new HostIdentity(Instances.HOST, Instances.BOOT, 1, null), probe);
        return FileStore.open(dir, clock, judge, FileStoreOptions.defaults());
    }

    @Override
    protected void advance(Duration d) {
        clock.advance(d);
    }

    @Override
    protected void killProcess(long pid) {
        probe.kill(pid);
    }

    @Override
    protected List<String> auditEvents() {
        List<String> events = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(dir.resolve("audit.jsonl"), StandardCharsets.UTF_8)) {
                events.add(Json.mapper().readTree(line).get("event").asString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }
}
