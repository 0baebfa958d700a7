package dev.coord.bench;

import java.nio.file.Path;
import java.util.Map;

/**
 * Server-side cost of the calls Claude Code's mcp_tool hooks make to the {@code hook} tool, one server, one client,
 * calls in sequence: the edit guard on a free file (takes an edit claim: one store transaction), the guard on a file
 * the session already claims (renews it), a tool use with nothing due (PostToolUse: a read without the store's mutex)
 * and a prompt (UserPromptSubmit: always reaches the store). The session holds one lock throughout.
 */
final class HookCalls {
    private HookCalls() {}

    static void run(Env env) {
        Launch l = Launch.fromMcpJson(env.root);
        Path repo = env.newRepo("hookcalls");
        int calls = RoundTrip.CALLS;
        int warmup = RoundTrip.WARMUP;
        Stats claim = new Stats();
        Stats renew = new Stats();
        Stats post = new Stats();
        Stats prompt = new Stats();
        try (Rpc rpc = l.spawn(repo, Map.of(), env.stderrLog)) {
            rpc.initialize();
            rpc.toolsList();
            rpc.call("acquire_lock", Map.of("paths", java.util.List.of("held.txt")));
            for (int i = 0; i < warmup + calls; i++) {
                String file = "src/g" + i + ".txt";
                long t0 = System.nanoTime();
                rpc.call("hook", Map.of("event", "PreToolUse", "tool_name", "Write", "file_path", file));
                long t1 = System.nanoTime();
                rpc.call("hook", Map.of("event", "PreToolUse", "tool_name", "Edit", "file_path", file));
                long t2 = System.nanoTime();
                rpc.call("hook", Map.of("event", "PostToolUse", "tool_name", "Edit"));
                long t3 = System.nanoTime();
                if (i % 10 == 0) {
                    rpc.call("hook", Map.of("event", "UserPromptSubmit"));
                }
                long t4 = System.nanoTime();
                // one claim at a time, as one session editing file after file and releasing as it goes
                rpc.call("release_lock", Map.of("paths", java.util.List.of(file)));
                if (i >= warmup) {
                    claim.add(t1 - t0);
                    renew.add(t2 - t1);
                    post.add(t3 - t2);
                    if (i % 10 == 0) {
                        prompt.add(t4 - t3);
                    }
                }
            }
        }
        env.report("## Hook calls: the `hook` tool as Claude Code's mcp_tool hooks call it (" + calls
                + " measured after " + warmup + " warm-up each)\n\n"
                + "Launch: `" + l.shown(env.root) + "`. Times are from the client: JSON-RPC line written to answer"
                + " line read. The session holds one lock.\n\n"
                + "| hook call | median ms | p99 ms | max ms | calls |\n|---|---|---|---|---|\n"
                + "| PreToolUse guard, free file (takes an edit claim) | " + claim.cells() + " |\n"
                + "| PreToolUse guard, file already claimed (renews) | " + renew.cells() + " |\n"
                + "| PostToolUse, nothing due (activity, no write) | " + post.cells() + " |\n"
                + "| UserPromptSubmit (renews, news) | " + prompt.cells() + " |\n");
    }
}
