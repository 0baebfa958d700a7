package dev.coord.bench.jmh;

import dev.coord.engine.CoordEngine;
import dev.coord.engine.json.Json;
import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.liveness.ProcessProbe;
import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.LockRequest;
import dev.coord.engine.model.Snapshot;
import dev.coord.engine.store.file.FileStore;
import dev.coord.engine.store.file.FileStoreOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.JsonNode;

/** The lock table document with 50 instances and 5,000 locks: JSON parse and write, and a FileStore read. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StoreBench {
    private FileStore store;
    private byte[] table;
    private JsonNode tree;

    @Setup
    public void setUp() throws IOException {
        Path dir = Files.createTempDirectory("coord-jmh-store");
        HostIdentity host = HostIdentity.current(System.getenv());
        LivenessJudge judge = new LivenessJudge(Duration.ofHours(1), host, ProcessProbe.system());
        store = FileStore.open(dir, Clock.systemUTC(), judge, FileStoreOptions.defaults());
        for (int i = 0; i < 50; i++) {
            Instance in = CoordEngine.thisProcess(host, Instant.now(), dir.toString(), "main", null)
                    .withWork("task " + i, null, "main");
            store.register(in);
            List<LockRequest> reqs = new ArrayList<>();
            for (int k = 0; k < 100; k++) {
                reqs.add(new LockRequest("mod" + i + "/src/File" + k + ".java", LockMode.EXCLUSIVE, null));
            }
            store.acquire(in, reqs, Duration.ofHours(2), "jmh", null);
        }
        Path biggest = null;
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                if (p.toString().endsWith(".json") && (biggest == null || Files.size(p) > Files.size(biggest))) {
                    biggest = p;
                }
            }
        }
        table = Files.readAllBytes(biggest);
        tree = Json.mapper().readTree(table);
    }

    @TearDown
    public void tearDown() {
        store.close();
    }

    @Benchmark
    public JsonNode parseTable5000() {
        return Json.mapper().readTree(table);
    }

    @Benchmark
    public byte[] writeTable5000() {
        return Json.mapper().writeValueAsBytes(tree);
    }

    /** Reads registry and table from disk (no mutex) and builds the snapshot status works from. */
    @Benchmark
    public Snapshot fileStoreRead5000() {
        return store.read();
    }
}
