package dev.coord.server.cli;

import dev.coord.engine.EngineSettings;
import dev.coord.engine.InstanceIds;
import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.liveness.ProcessProbe;
import dev.coord.engine.model.AcquireOutcome;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRequest;
import dev.coord.engine.store.file.FileStore;
import dev.coord.engine.store.file.FileStoreOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A repository with a real file store, populated through the engine as servers would, and a way to run CLI commands
 * against it with captured streams and a clock the test moves.
 */
final class CliFixture {
    static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    final Path repo;
    final Path stateDir;
    final Map<String, String> env = new HashMap<>();
    final MutableClock clock = new MutableClock(T0);

    CliFixture(Path repo) throws IOException {
        this.repo = repo.toRealPath();
        this.stateDir = this.repo.resolve(".claude/coordination");
        env.put("COORD_HOST_ID", "test-host");
    }

    /** A store as a server process would open it, on the test's clock. */
    FileStore store() {
        HostIdentity host = HostIdentity.current(env);
        LivenessJudge judge = new LivenessJudge(EngineSettings.defaults().staleAfter(), host, ProcessProbe.system());
        return FileStore.open(stateDir, clock, judge, FileStoreOptions.defaults());
    }

    /** Registers a live instance (this JVM's process, so the liveness check finds it alive). */
    Instance register(String task, String role, String sessionId) {
        return registerIn(repo, task, role, sessionId);
    }

    /** Registers a live instance working in {@code worktree}. */
    Instance registerIn(Path worktree, String task, String role, String sessionId) {
        HostIdentity host = HostIdentity.current(env);
        Instant now = clock.instant();
        Instance i = new Instance(
                InstanceIds.newId(now),
                host.pid(),
                host.processStart(),
                host.host(),
                host.bootId(),
                worktree.toString(),
                "main",
                "claude-code",
                "2.1.0",
                sessionId,
                task,
                role,
                now,
                now);
        try (FileStore store = store()) {
            store.register(i);
        }
        return i;
    }

    void lock(Instance holder, String key, LockMode mode, Duration ttl, String reason) {
        try (FileStore store = store()) {
            AcquireOutcome o = store.acquire(holder, List.of(new LockRequest(key, mode, null)), ttl, reason, null);
            if (!o.acquired()) {
                throw new AssertionError("could not lock " + key + ": " + o.conflicts());
            }
        }
    }

    Result run(String... args) {
        return runWithInput("", args);
    }

    Result runWithInput(String stdin, String... args) {
        return runIn(repo, stdin, args);
    }

    /** Runs {@code status --watch}: the sleeper runs between refreshes and ends the loop by throwing. */
    Result watch(dev.coord.engine.Sleeper sleeper, String... args) {
        return runIn(repo, "", sleeper, args);
    }

    Result runIn(Path cwd, String stdin, String... args) {
        return runIn(cwd, stdin, null, args);
    }

    Result runIn(Path cwd, String stdin, dev.coord.engine.Sleeper sleeper, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliEnv ctx = new CliEnv(
                env,
                cwd,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                clock,
                false);
        if (sleeper != null) {
            ctx.withSleeper(sleeper);
        }
        int code = args.length == 2 && args[0].equals("hook") && args[1].equals("pre-edit")
                ? new PreEditHook(ctx).run()
                : Cli.run(args, ctx);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    record Result(int code, String out, String err) {}

    boolean stateExists() {
        return Files.exists(stateDir);
    }

    /** A clock the test moves; read by the store and the CLI alike. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
