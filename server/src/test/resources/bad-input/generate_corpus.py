# Writes corpus.jsonl for BadInputIT: python3 generate_corpus.py corpus.jsonl
# Each entry: category, expect (JSON-RPC error code, tool error code, NOT_HELD or none) and the input.
import json
out = []
def raw(cat, expect, line, note=None):
    out.append({"category": cat, "expect": expect, "raw": line, **({"note": note} if note else {})})
def gen(cat, expect, g):
    out.append({"category": cat, "expect": expect, "gen": g})
def req(cat, expect, method, params=None, note=None, **extra):
    r = {"method": method}
    if params is not None: r["params"] = params
    d = {"category": cat, "expect": expect, "request": r}
    d.update(extra)
    out.append(d)
def call(cat, expect, tool, args):
    out.append({"category": cat, "expect": expect, "tool": tool, "arguments": args})

M = "malformed-jsonrpc"
for s in ["this is not json", "garbage", "{", "}", "[", "]", "{\"jsonrpc\":\"2.0\"", "{\"jsonrpc\":\"2.0\",\"id\":1,", "nul", "tru",
          "{'jsonrpc':'2.0','id':1,'method':'ping'}", "{jsonrpc:\"2.0\",id:1,method:\"ping\"}", "\"just a string", "{\"a\":1,}",
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"} {}",
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"} trailing", "{\"jsonrpc\":\"2.0\",\"id\":01,\"method\":\"ping\"}",
          "{\"jsonrpc\":\"2.0\",\"id\":NaN,\"method\":\"ping\"}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\u0000",
          "\u0000\u0001\u0002", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\" /* c */}", "<xml/>", "GET / HTTP/1.1"]:
    raw(M, "-32700", s)
for s in ["", " ", "\t", "   \t  "]:
    raw(M, "none", s, "blank line")
for s in ["{}", "[]", "[1]", "[{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\"}]", "null", "1", "\"str\"", "true",
          "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}", "{\"jsonrpc\":2.0,\"id\":1,\"method\":\"ping\"}",
          "{\"jsonrpc\":\"2.1\",\"id\":1,\"method\":\"ping\"}", "{\"id\":1,\"method\":\"ping\"}",
          "{\"jsonrpc\":\"2.0\",\"id\":1}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":42}",
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":null}",
          "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}", "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}",
          "{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"ping\"}", "{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"ping\"}",
          "{\"jsonrpc\":\"2.0\",\"id\":99999999999999999999999,\"method\":\"ping\"}",
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"result\":{}}",
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{},\"error\":{\"code\":1,\"message\":\"x\"}}",
          "{\"jsonrpc\":\"2.0\",\"result\":{}}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":\"bad\"}",
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":null}"]:
    raw(M, "-32600", s)
for g, e in [("invalid-utf8-lone-continuation", "-32700"), ("invalid-utf8-truncated", "-32700"), ("invalid-utf8-overlong", "-32700"),
             ("invalid-utf8-surrogate", "-32700"), ("invalid-utf8-in-string", "-32700"), ("bom-then-garbage", "-32700"),
             ("bom-then-empty-object", "-32600"), ("double-bom", "-32700"), ("utf16-bom", "-32700"),
             ("utf16be-no-bom", "-32700"), ("utf16le-no-bom", "-32700"), ("utf32be-no-bom", "-32700"), ("utf32le-no-bom", "-32700"), ("nesting-10000-arrays", "-32700"), ("nesting-10000-objects", "-32700"), ("nesting-10000-in-params", "-32700"),
             ("huge-line-4MiB-plus-1", "-32600"), ("huge-line-6MiB-request", "-32600"), ("huge-number", "-32700")]:
    gen(M, e, g)

U = "unknown-method-or-tool"
for m in ["no/such/method", "tools/cal", "TOOLS/LIST", "resources/list", "prompts/lists", "completion/complete", "logging/setlevel",
          "sampling/createMessage", "", " ", "rpc.discover", "../tools/list"]:
    req(U, "-32601", m, {})
for name in ["no_such_tool", "ACQUIRE_LOCK", "acquire-lock", "acquire_lock ", "", "../status", "status\u0000"]:
    req(U, "-32602", "tools/call", {"name": name, "arguments": {}})
req(U, "none", "notifications/no_such_notification", {}, no_id=True)
req(U, "none", "notifications/cancelled", {"requestId": "never-sent"}, no_id=True)

W = "wrong-argument-types"
for tool, args in [
    ("acquire_lock", {"paths": "src/A.java"}), ("acquire_lock", {"paths": [1, 2]}), ("acquire_lock", {"paths": [None]}),
    ("acquire_lock", {"paths": [["a"]]}), ("acquire_lock", {"paths": {"a": 1}}), ("acquire_lock", {"paths": ["a"], "mode": "EXCLUSIVE"}),
    ("acquire_lock", {"paths": ["a"], "mode": 1}), ("acquire_lock", {"paths": ["a"], "ttl_seconds": "60"}),
    ("acquire_lock", {"paths": ["a"], "ttl_seconds": 60.5}), ("acquire_lock", {"paths": ["a"], "wait_seconds": True}),
    ("acquire_lock", {"paths": ["a"], "reason": 5}), ("release_lock", {"paths": "a"}), ("release_lock", {"all": "yes"}),
    ("release_lock", {"paths": ["a"], "force": 1}), ("release_lock", {"all": True, "reason": []}),
    ("log_decision", {"category": 1, "title": "t", "description": "d"}), ("log_decision", {"category": "c", "title": ["t"], "description": "d"}),
    ("log_decision", {"category": "c", "title": "t", "description": {"d": 1}}), ("log_decision", {"category": "c", "title": "t", "description": "d", "scope": "galaxy"}),
    ("log_decision", {"category": "c", "title": "t", "description": "d", "tags": "x"}), ("log_decision", {"category": "c", "title": "t", "description": "d", "tags": [1]}),
    ("query_decisions", {"limit": "10"}), ("query_decisions", {"limit": 2.5}), ("query_decisions", {"since": 5}),
    ("query_decisions", {"text": False}), ("register_instance", {"task": 7}), ("register_instance", {"task": "t", "role": None}),
    ("status", {"paths": "a"}), ("status", {"paths": [1]}),
]:
    call(W, "INVALID_ARGUMENT", tool, args)
for params in [{"name": "status", "arguments": "x"}, {"name": "status", "arguments": [1]}, {"name": 5, "arguments": {}}, "params-as-string", [1, 2]]:
    req(W, "-32602", "tools/call", params)

R = "missing-required"
for tool, args in [("acquire_lock", {}), ("acquire_lock", {"paths": []}), ("acquire_lock", {"mode": "shared"}),
                   ("release_lock", {}), ("release_lock", {"force": True, "reason": "r"}),
                   ("log_decision", {}), ("log_decision", {"title": "t", "description": "d"}), ("log_decision", {"category": "c", "description": "d"}),
                   ("log_decision", {"category": "c", "title": "t"}), ("register_instance", {}), ("register_instance", {"role": "r"}),
                   ("log_decision", {"category": "", "title": "t", "description": "d"}), ("register_instance", {"task": ""})]:
    call(R, "INVALID_ARGUMENT", tool, args)
req(R, "-32602", "tools/call", {"arguments": {}})
req(R, "-32602", "tools/call", None)

O = "oversize-strings"
for tool, args in [("acquire_lock", {"paths": ["a"], "reason": "r" * 501}), ("acquire_lock", {"paths": ["a" * 4097]}),
                   ("acquire_lock", {"paths": ["a"] * 101}), ("release_lock", {"paths": ["a"], "reason": "r" * 600}),
                   ("log_decision", {"category": "c" * 65, "title": "t", "description": "d"}),
                   ("log_decision", {"category": "c", "title": "t" * 201, "description": "d"}),
                   ("log_decision", {"category": "c", "title": "t", "description": "d" * 10001}),
                   ("log_decision", {"category": "c", "title": "t", "description": "d", "tags": ["x" * 51]}),
                   ("log_decision", {"category": "c", "title": "t", "description": "d", "tags": ["x"] * 21}),
                   ("query_decisions", {"text": "q" * 201}), ("query_decisions", {"category": "c" * 65}),
                   ("query_decisions", {"since": "1" * 41}), ("register_instance", {"task": "t" * 501}),
                   ("register_instance", {"task": "t", "role": "r" * 101}), ("register_instance", {"task": "t", "branch": "b" * 201}),
                   ("status", {"paths": ["a"] * 21})]:
    call(O, "INVALID_ARGUMENT", tool, args)
out.append({"category": O, "expect": "INVALID_ARGUMENT", "gen": "description-1MiB", "answer_id": "bi-gen"})

X = "extra-properties"
for tool, args in [("acquire_lock", {"paths": ["a"], "force": True}), ("acquire_lock", {"paths": ["a"], "holder": "someone-else"}),
                   ("release_lock", {"paths": ["a"], "instance_id": "claude-x"}), ("log_decision", {"category": "c", "title": "t", "description": "d", "id": "DEC-20260101-0001"}),
                   ("query_decisions", {"all": True}), ("register_instance", {"task": "t", "instance_id": "claude-forged"}),
                   ("status", {"verbose": True}), ("status", {"__proto__": {"x": 1}})]:
    call(X, "INVALID_ARGUMENT", tool, args)

P = "path-attacks"
paths = ["../", "..", "../x", "../../etc/passwd", "a/../../b", "./../x", "src/../../x", "/etc/passwd", "/", "/tmp", "/etc/",
         "${EVIL}", "${EVIL}/a.txt", "${EVIL}/", "${ROOT}-evil/a.txt", "${ROOT}/../repo-evil/a.txt", "${ROOT}/../outside/secret.txt",
         "link", "link/secret.txt", "link/new.txt", "link/", "${ROOT}/link/secret.txt", "src/\u0000.java", "a\u0000", "a\nb", "a\tb", "a\u001bb", "a\u007fb",
         "x" * 5000, ("d/" * 2500), "C:\\x", "c:/x", "\\\\server\\share", "src\\A.java", "..\\..\\x", ".git", ".git/config",
         ".git/", "src/../.git/HEAD", ".claude/coordination/locks.json", ".claude/coordination/", "./.claude/coordination/registry.json",
         "/ETC/PASSWD", "../REPO-EVIL/a.txt", "${ROOT_UPPER}/a.txt", "C:\\WINDOWS\\system32", "   ", "", "n" * 256]
schema_refused = {"x" * 5000, "d/" * 2500, ""}
paths += ["y" * 4000, "e/" * 600 + "../" * 601]
for p in paths:
    call(P, "INVALID_ARGUMENT" if p in schema_refused else "INVALID_PATH", "acquire_lock", {"paths": [p]})
for p in ["../../etc/passwd", "/etc/passwd", "${EVIL}/a.txt", "link/secret.txt", "a\u0000", "x" * 5000, "C:\\x", "\\\\server\\share", "src\\A.java", ".git/config",
          "${ROOT}-evil/", ".claude/coordination/locks.json", "../"]:
    call(P, "INVALID_ARGUMENT" if p in schema_refused else "INVALID_PATH", "release_lock", {"paths": [p]})
    call(P, "INVALID_ARGUMENT" if p in schema_refused else "INVALID_PATH", "status", {"paths": [p]})
call(P, "INVALID_PATH", "acquire_lock", {"paths": ["ok-file.txt", "../../etc/passwd"]})
call(P, "INVALID_PATH", "acquire_lock", {"paths": ["ok-file.txt", "link/secret.txt"], "mode": "shared"})

I = "forged-or-wrong-ids"
for i in ["DEC-1", "dec-20261121-0001", "DEC-2026112-0001", "DEC-20261121-001", "DEC-20261121-0001 ", "' OR 1=1 --", "../decisions.jsonl", "DEC-20261121-0001\u0000", ""]:
    call(I, "INVALID_ARGUMENT", "query_decisions", {"id": i})
for i in ["DEC-20261121-9999", "DEC-19700101-0001", "DEC-99991231-123456789"]:
    call(I, "NOT_FOUND", "query_decisions", {"id": i})
for i in ["DEC-20261121-9999", "DEC-19700101-0001"]:
    call(I, "NOT_FOUND", "log_decision", {"category": "c", "title": "t", "description": "d", "supersedes": i})
for i in ["DEC-x", "../../etc/passwd"]:
    call(I, "INVALID_ARGUMENT", "log_decision", {"category": "c", "title": "t", "description": "d", "supersedes": i})

F = "lock-ownership"
call(F, "NOT_HELD", "release_lock", {"paths": ["held-by-other.txt"]})
call(F, "NOT_HELD", "release_lock", {"paths": ["held-by-other.txt"], "force": False})
call(F, "NOT_HELD", "release_lock", {"paths": ["never-locked.txt"]})
call(F, "INVALID_ARGUMENT", "release_lock", {"paths": ["held-by-other.txt"], "force": True})
call(F, "INVALID_ARGUMENT", "release_lock", {"paths": ["held-by-other.txt"], "force": True, "reason": ""})
call(F, "INVALID_ARGUMENT", "release_lock", {"paths": ["held-by-other.txt"], "force": True, "reason": "   "})
call(F, "INVALID_ARGUMENT", "release_lock", {"all": True, "force": True})
call(F, "INVALID_ARGUMENT", "release_lock", {"all": True, "paths": ["held-by-other.txt"]})
call(F, "INVALID_ARGUMENT", "release_lock", {"all": False})

N = "numbers"
for args in [{"paths": ["a"], "ttl_seconds": 10 ** 12}, {"paths": ["a"], "ttl_seconds": 86401}, {"paths": ["a"], "ttl_seconds": 9}, {"paths": ["a"], "ttl_seconds": 0},
             {"paths": ["a"], "ttl_seconds": -1}, {"paths": ["a"], "ttl_seconds": -9223372036854775808}, {"paths": ["a"], "ttl_seconds": 9223372036854775807},
             {"paths": ["a"], "ttl_seconds": 1e308}, {"paths": ["a"], "wait_seconds": 301}, {"paths": ["a"], "wait_seconds": -1},
             {"paths": ["a"], "wait_seconds": 10 ** 15}, {"paths": ["a"], "wait_seconds": 9223372036854775807}, {"paths": ["a"], "ttl_seconds": 123456789012345678901234567890}]:
    call(N, "INVALID_ARGUMENT", "acquire_lock", args)
for args in [{"limit": 0}, {"limit": -5}, {"limit": 101}, {"limit": 10 ** 18}, {"since": "-5m"}, {"since": "99999999999d"}, {"since": "not a time"}, {"since": "2026-13-45"}]:
    call(N, "INVALID_ARGUMENT", "query_decisions", args)

import sys
with open(sys.argv[1], "w") as f:
    for e in out:
        f.write(json.dumps(e, ensure_ascii=True) + "\n")
from collections import Counter
print(len(out), Counter(e["category"] for e in out))
