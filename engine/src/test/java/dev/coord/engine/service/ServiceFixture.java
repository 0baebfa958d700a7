package dev.coord.engine.service;

import dev.coord.engine.EngineSettings;
import dev.coord.engine.Session;
import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.model.Instance;
import dev.coord.engine.path.PathPolicy;
import dev.coord.engine.store.file.FileStore;
import dev.coord.engine.store.file.FileStoreOptions;
import dev.coord.engine.testing.FakeClock;
import dev.coord.engine.testing.FakeProbe;
import dev.coord.engine.testing.Instances;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A file store on a temp directory with a fake clock, a repository next to it, and a sleeper that advances the clock
 * instead of sleeping.
 */
final class ServiceFixture implements AutoCloseable {
    final FakeClock clock = FakeClock.at("2026-11-21T10:00:00Z");
    final FakeProbe probe = new FakeProbe();
    final EngineSettings settings = EngineSettings.defaults();
    final Path repo;
    final FileStore store;
    final PathPolicy paths;
    /** Every pause the code under test asked for. */
    final List<Duration> sleeps = new ArrayList<>();
    /** Runs after each pause, once the clock moved: lets other sessions act while one waits. */
    Runnable onSleep = () -> {};

    ServiceFixture(Path tmp) {
        try {
            this.repo = Files.createDirectories(tmp.resolve("repo"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LivenessJudge judge = new LivenessJudge(
                settings.staleAfter(), new HostIdentity(Instances.HOST, Instances.BOOT, 1, null), probe);
        this.store = FileStore.open(tmp.resolve("state"), clock, judge, FileStoreOptions.defaults());
        this.paths = new PathPolicy(repo);
    }

    void sleep(Duration d) {
        sleeps.add(d);
        clock.advance(d);
        onSleep.run();
    }

    Instance instance(String id, long pid) {
        Instant now = clock.instant();
        return new Instance(
                id,
                pid,
                null,
                Instances.HOST,
                Instances.BOOT,
                repo.toString(),
                "main",
                null,
                null,
                null,
                "task of " + id,
                "role of " + id,
                now,
                now);
    }

    /** A registered session. */
    Session session(String id, long pid) {
        Instance self = instance(id, pid);
        Session s = new Session(store, settings, self, () -> "main");
        s.register(self.task(), self.role(), null);
        return s;
    }

    LockService locks(Session s) {
        return new LockService(store, s, paths, settings, this::sleep);
    }

    Path write(String relative, String content) {
        try {
            Path p = repo.resolve(relative);
            Files.createDirectories(p.getParent());
            return Files.writeString(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
