package dev.coord.engine.testing;

import dev.coord.engine.EngineSettings;
import dev.coord.engine.Session;
import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.model.Instance;
import dev.coord.engine.path.PathPolicy;
import dev.coord.engine.service.LockService;
import dev.coord.engine.store.file.FileStore;
import dev.coord.engine.store.file.FileStoreOptions;
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
public final class ServiceFixture implements AutoCloseable {
    public final FakeClock clock = FakeClock.at("2026-11-21T10:00:00Z");
    public final FakeProbe probe = new FakeProbe();
    public final EngineSettings settings = EngineSettings.defaults();
    public final Path repo;
    public final FileStore store;
    public final PathPolicy paths;
    /** Every pause the code under test asked for. */
    public final List<Duration> sleeps = new ArrayList<>();
    /** Runs after each pause, once the clock moved: lets other sessions act while one waits. */
    public Runnable onSleep = () -> {};

    public ServiceFixture(Path tmp) {
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

    public void sleep(Duration d) {
        sleeps.add(d);
        clock.advance(d);
        onSleep.run();
    }

    public Instance instance(String id, long pid) {
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
    public Session session(String id, long pid) {
        Instance self = instance(id, pid);
        Session s = new Session(store, settings, self, () -> "main");
        s.register(self.task(), self.role(), null);
        return s;
    }

    public LockService locks(Session s) {
        return new LockService(store, s, paths, settings, this::sleep);
    }

    public Path write(String relative, String content) {
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
