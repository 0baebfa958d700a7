package dev.coord.bench.jmh;

import dev.coord.engine.path.LockKeys;
import dev.coord.engine.path.PathPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.Warmup;

/** Path normalization and the overlap test a grant runs against every held lock. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PathBench {
    private PathPolicy policy;
    private String[] held;

    @Setup
    public void setUp() throws IOException {
        Path root = Files.createTempDirectory("coord-jmh").toRealPath();
        Files.createDirectories(root.resolve("src/main/java/dev/coord"));
        Files.writeString(root.resolve("src/main/java/dev/coord/Existing.java"), "class Existing {}");
        policy = new PathPolicy(root);
        held = new String[5000];
        for (int i = 0; i < held.length; i++) {
            held[i] =
                    i % 10 == 0 ? "mod" + (i / 100) + "/dir" + i + "/" : "mod" + (i / 100) + "/src/File" + i + ".java";
        }
    }

    /** An existing file (toRealPath of the file itself). */
    @Benchmark
    public String toKeyExisting() {
        return policy.toKey("src/main/java/dev/coord/Existing.java");
    }

    /** A file not created yet (canonicalizes its deepest existing parent). */
    @Benchmark
    public String toKeyNew() {
        return policy.toKey("src/main/java/dev/coord/sub/New.java");
    }

    /** One requested key against a 5,000-lock table: the conflict scan of an acquire. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int overlapsScan5000() {
        int hits = 0;
        for (String h : held) {
            if (LockKeys.overlaps("mod42/src/File4242.java", h)) {
                hits++;
            }
        }
        return hits;
    }
}
