package dev.coord.tools;

import dev.coord.engine.CoordEngine;
import dev.coord.engine.EngineSettings;
import dev.coord.engine.Session;
import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.model.Instance;
import dev.coord.engine.store.file.FileStore;
import dev.coord.engine.store.file.FileStoreOptions;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One session's tools over a real file store in a temp repository; several harnesses share one state dir. */
final class ToolHarness implements AutoCloseable {
    final FileStore store;
    final Session session;
    final Coordinator coord;
    final Map<String, AbstractTool> tools = new HashMap<>();

    ToolHarness(Path repo, Path stateDir, String id, long pid) {
        Clock clock = Clock.systemUTC();
        HostIdentity host = new HostIdentity("test-host", "boot", pid, null);
        // every pid counts as alive: liveness is the engine's business, tested there
        LivenessJudge judge = new LivenessJudge(EngineSettings.defaults().staleAfter(), host, (p, s) -> true);
        store = FileStore.open(stateDir, clock, judge, FileStoreOptions.defaults());
        Instant now = clock.instant();
        Instance self = new Instance(
                id, pid, null, "test-host", "boot", repo.toString(), "main", null, null, null, null, null, now, now);
        CoordEngine engine = CoordEngine.builder(store, self, repo)
                .stateDir(stateDir)
                .branch(() -> "main")
                .sleeper(d -> {})
                .missions(repo.resolve("missions"), ZoneOffset.UTC, false)
                .problems(store::problems)
                .build();
        session = engine.session();
        session.start();
        coord = Coordinator.of(engine);
        for (CoordTool t : CoordTools.all(coord)) {
            tools.put(t.name(), (AbstractTool) t);
        }
    }

    CallToolResult call(String tool, Map<String, Object> args) {
        return tools.get(tool)
                .handle(
                        null,
                        McpSchema.CallToolRequest.builder(tool)
                                .name(tool)
                                .arguments(args)
                                .build());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> content(CallToolResult r) {
        return (Map<String, Object>) r.structuredContent();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        return (List<Map<String, Object>>) m.get(key);
    }

    @Override
    public void close() {
        session.close("test over");
        store.close();
    }
}
