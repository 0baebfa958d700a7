package dev.coord.postgres;

import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.store.CoordStore;
import dev.coord.engine.store.CoordStoreContract;
import dev.coord.engine.testing.FakeProbe;
import dev.coord.engine.testing.Instances;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The store contract against a real PostgreSQL: one database for the class, a fresh project per test. */
class PgStoreContractTest extends CoordStoreContract {
    private static final AtomicInteger PROJECTS = new AtomicInteger();
    private static String url;

    @TempDir
    Path localDir;

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);
    private final FakeProbe probe = new FakeProbe();
    private final String project = "github.com/test/contract-" + PROJECTS.incrementAndGet();

    @BeforeAll
    static void database() {
        url = PostgresServer.shared().newDatabase("contract");
    }

    @Override
    protected CoordStore openStore() {
        return reopen();
    }

    @Override
    protected CoordStore reopen() {
        LivenessJudge judge =
                new LivenessJudge(STALE, new HostIdentity(Instances.HOST, Instances.BOOT, 1, null), probe);
        return PgStore.open(PgUrl.parse(url, Map.of()), project, localDir, judge, offset::get);
    }

    @Override
    protected void advance(Duration d) {
        offset.accumulateAndGet(d, Duration::plus);
    }

    /** The database clock moves on its own; the offset only adds to it. */
    @Override
    protected boolean clockStandsStill() {
        return false;
    }

    @Override
    protected void killProcess(long pid) {
        probe.kill(pid);
    }

    @Override
    protected List<String> auditEvents() {
        try (PgStore s = (PgStore) reopen()) {
            return s.auditEvents();
        }
    }
}
