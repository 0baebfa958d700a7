// Drives coord.jar with the official TypeScript MCP client (@modelcontextprotocol/sdk): two sessions on one
// repository list the tools (after which the client checks every structuredContent against the tool's output
// schema) and then provoke every error code that can be reached from outside. One JSON line per case on stdout;
// TypeScriptClientIT asserts on them.
//
// usage: node error-results.mjs JAVA JAR REPO
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [java, jar, repo] = process.argv.slice(2);

async function connect(name) {
  const transport = new StdioClientTransport({
    command: java,
    args: ["-jar", jar],
    env: { ...process.env, CLAUDE_PROJECT_DIR: repo, COORD_LOG_LEVEL: "warn" },
    stderr: "inherit",
  });
  const client = new Client({ name, version: "1.0.0" });
  await client.connect(transport);
  const listed = await client.listTools();
  return { client, listed };
}

function report(name, outcome) {
  process.stdout.write(JSON.stringify({ case: name, ...outcome }) + "\n");
}

async function call(who, name, tool, args) {
  try {
    const r = await who.client.callTool({ name: tool, arguments: args });
    const text = (r.content ?? []).filter((c) => c.type === "text").map((c) => c.text).join("\n");
    report(name, {
      isError: r.isError === true,
      text,
      structured: r.structuredContent ?? null,
    });
    return r;
  } catch (e) {
    // what the bug looked like: the client threw -32602 "Structured content does not match..."
    report(name, { clientError: String(e && e.message ? e.message : e) });
    return null;
  }
}

const a = await connect("ts-alice");
const b = await connect("ts-bob");
report("tools_listed", { count: a.listed.tools.length, names: a.listed.tools.map((t) => t.name).sort() });

await call(a, "register_a", "register_instance", { task: "alice" });
await call(b, "register_b", "register_instance", { task: "bob" });
await call(a, "INVALID_PATH", "acquire_lock", { paths: ["../x"] });
await call(a, "INVALID_ARGUMENT", "acquire_lock", { paths: ["a"], ttl_seconds: 86401 });
await call(a, "INVALID_ARGUMENT_unknown_field", "status", { verbose: true });
await call(a, "NOT_FOUND", "query_decisions", { id: "DEC-20200101-0001" });

// contention is a result, not an error (LOCK_HELD is the command line's word for it)
await call(a, "acquire_a", "acquire_lock", { paths: ["src/A.java"] });
await call(b, "LOCK_HELD_as_contention", "acquire_lock", { paths: ["src/A.java"] });
await call(b, "force_release_by_b", "release_lock", { paths: ["src/A.java"], force: true, reason: "test" });
await call(a, "LOCK_LOST", "release_lock", { paths: ["src/A.java"] });
await call(a, "NOT_HELD_lock", "release_lock", { paths: ["src/B.java"] });

await call(a, "claim_a", "claim_mission", { mission_id: "m1" });
await call(b, "ALREADY_CLAIMED", "claim_mission", { mission_id: "m1" });
await call(b, "NOT_HELD", "finish_mission", { mission_id: "m1", outcome: "done", summary: "not mine" });
writeFileSync(join(repo, "missions", "done", "m1.md"), "# a file in the way\n");
await call(a, "CONFLICT", "finish_mission", { mission_id: "m1", outcome: "done", summary: "done" });

// the missions folder made unreadable under a running server
rmSync(join(repo, "missions", "queue"), { recursive: true, force: true });
writeFileSync(join(repo, "missions", "queue"), "not a directory\n");
await call(a, "STORE_UNAVAILABLE", "claim_mission", {});
rmSync(join(repo, "missions", "queue"), { force: true });
mkdirSync(join(repo, "missions", "queue"));

await call(a, "status_after", "status", {});
await call(a, "unknown_tool", "invalid_tool_name", {});
await a.client.close();
await b.client.close();
