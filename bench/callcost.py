#!/usr/bin/env python3
"""The cost of one call, for A/B runs of two jars (docs/performance.md, "The cost of one call"). Not part of the build.

Starts coord servers (java on the PATH, -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xms8m -Xmx128m, no
archive, plus --opts) in a fresh git
repository and drives acquire_lock + release_lock pairs through stdio, each server on its own 20 paths.
  one server:  bench/callcost.py server/target/coord.jar --pairs 3000 --warm 2000 [--threads] [--strace]
               pair p50/p90 (client, wall), server CPU per call (user/system from /proc), per-thread CPU per call
  N servers:   bench/callcost.py JAR --procs 8 --warm 30 --seconds 10 [--threads]
               (--warm is then seconds of unmeasured load) calls/s in total and server CPU per call
--strace attaches `strace -c -f` to the server for the measured calls (PERF=1: `perf stat` instead; STRACE_FULL=1:
the file and I/O syscalls one by one). Alternate the two jars within the same minutes and give the load."""
import argparse, json, os, subprocess, sys, tempfile, time, threading, statistics, shlex

ap = argparse.ArgumentParser()
ap.add_argument("jar")
ap.add_argument("--procs", type=int, default=1)
ap.add_argument("--pairs", type=int, default=2000)
ap.add_argument("--warm", type=int, default=500)
ap.add_argument("--seconds", type=float, default=0)
ap.add_argument("--opts", default="")
ap.add_argument("--java", default="java")
ap.add_argument("--threads", action="store_true")
ap.add_argument("--repo", default="")
ap.add_argument("--strace", action="store_true")
a = ap.parse_args()

TICK = os.sysconf("SC_CLK_TCK")
BASE = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xms8m", "-Xmx128m",
        "-Xlog:disable", "-Xlog:all=warning:stderr"]

def cpu(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / TICK

def us(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(f[11]) / TICK, int(f[12]) / TICK

def threads(pid):
    out = {}
    for t in os.listdir(f"/proc/{pid}/task"):
        try:
            s = open(f"/proc/{pid}/task/{t}/stat").read()
            name = s[s.index("(") + 1:s.rindex(")")]
            f = s.rsplit(")", 1)[1].split()
            out[name] = out.get(name, 0) + (int(f[11]) + int(f[12])) / TICK
        except FileNotFoundError:
            pass
    return out

repo = a.repo or tempfile.mkdtemp(prefix="calls-repo-")
if not os.path.exists(os.path.join(repo, ".git")):
    subprocess.run(["git", "init", "-q", repo], check=True)
    subprocess.run(["git", "-C", repo, "commit", "-q", "--allow-empty", "-m", "init"], check=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@b", "GIT_COMMITTER_NAME": "a",
                        "GIT_COMMITTER_EMAIL": "a@b"})

class Srv:
    def __init__(self, idx):
        cmd = [a.java] + BASE + shlex.split(a.opts) + ["-jar", a.jar]
        self.p = subprocess.Popen(cmd, cwd=repo, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=open(os.path.join(tempfile.gettempdir(), f"coord-callcost-stderr-{idx}.log"), "w"))
        self.id = 0
        self.idx = idx
    def rpc(self, method, params, notify=False):
        msg = {"jsonrpc": "2.0", "method": method, "params": params}
        if not notify:
            self.id += 1
            msg["id"] = self.id
        self.p.stdin.write((json.dumps(msg) + "\n").encode()); self.p.stdin.flush()
        if notify:
            return None
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise SystemExit("server closed stdout")
            if not line.startswith(b'{'):
                continue
            r = json.loads(line)
            if r.get("id") == self.id:
                if "error" in r or r.get("result", {}).get("isError"):
                    raise SystemExit(f"error: {line[:300]}")
                return r
    def init(self):
        self.rpc("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                "clientInfo": {"name": "drive", "version": "1"}})
        self.rpc("notifications/initialized", {}, notify=True)
        self.rpc("tools/list", {})
    def pair(self, i):
        p = [f"src/p{self.idx}/f{i % 20}.txt"]
        self.rpc("tools/call", {"name": "acquire_lock", "arguments": {"paths": p}})
        self.rpc("tools/call", {"name": "release_lock", "arguments": {"paths": p}})

srvs = [Srv(i) for i in range(a.procs)]
for s in srvs:
    s.init()
time.sleep(4.5)  # past the background warm-ups

if a.procs == 1:
    s = srvs[0]
    for i in range(a.warm):
        s.pair(i)
    if a.strace:
        tr = subprocess.Popen((["perf", "stat", "-e", "page-faults,context-switches,cpu-migrations,task-clock", "-o", os.path.join(tempfile.gettempdir(), "coord-callcost-perf.txt"), "-p", str(s.p.pid)] if os.environ.get("PERF") else ["strace"] + (["-c"] if not os.environ.get("STRACE_FULL") else ["-e", "trace=file,read,write,rename,fcntl,ioctl,pread64"]) + ["-f", "-o", os.path.join(tempfile.gettempdir(), "coord-callcost-strace.txt"), "-p", str(s.p.pid)]))
        time.sleep(1)
    c0 = cpu(s.p.pid); t0 = threads(s.p.pid); u0 = us(s.p.pid)
    lat = []
    for i in range(a.pairs):
        st = time.perf_counter_ns(); s.pair(i); lat.append(time.perf_counter_ns() - st)
    c1 = cpu(s.p.pid); t1 = threads(s.p.pid); u1 = us(s.p.pid)
    print(f"user {(u1[0]-u0[0])*1000/(2*a.pairs):.3f} sys {(u1[1]-u0[1])*1000/(2*a.pairs):.3f} ms/call")
    if a.strace:
        tr.send_signal(2); tr.wait()
    lat.sort()
    print(f"pair p50 {lat[len(lat)//2]/1e6:.3f} ms  p90 {lat[int(len(lat)*.9)]/1e6:.3f}  server CPU/call "
          f"{(c1-c0)*1000/(2*a.pairs):.3f} ms  load {os.getloadavg()[0]:.2f}")
    if a.threads:
        for k in sorted(t1, key=lambda k: -(t1[k] - t0.get(k, 0)))[:12]:
            d = t1[k] - t0.get(k, 0)
            if d > 0:
                print(f"   {k:30s} {d*1000/(2*a.pairs):.3f} ms/call")
else:
    stop = threading.Event(); counts = [0] * a.procs; measuring = threading.Event()
    def loop(k):
        s = srvs[k]; i = 0
        while not stop.is_set():
            s.pair(i); i += 1
            if measuring.is_set():
                counts[k] += 2
    ths = [threading.Thread(target=loop, args=(k,)) for k in range(a.procs)]
    for t in ths: t.start()
    time.sleep(a.warm)  # seconds of warm-up here
    c0 = sum(cpu(s.p.pid) for s in srvs); th0 = threads(srvs[0].p.pid)
    measuring.set(); st = time.time()
    time.sleep(a.seconds or 5)
    measuring.clear(); el = time.time() - st
    c1 = sum(cpu(s.p.pid) for s in srvs); th1 = threads(srvs[0].p.pid)
    stop.set()
    for t in ths: t.join()
    n = sum(counts)
    print(f"{a.procs} procs: {n/el:.0f} calls/s  server CPU/call {(c1-c0)*1000/max(n,1):.2f} ms  "
          f"load {os.getloadavg()[0]:.2f}")
    if a.threads:
        for k in sorted(th1, key=lambda k: -(th1[k] - th0.get(k, 0)))[:10]:
            d = th1[k] - th0.get(k, 0)
            if d > 0:
                print(f"   proc0 {k:30s} {d*1000:.0f} ms")
for s in srvs:
    s.p.stdin.close()
for s in srvs:
    try:
        s.p.wait(10)
    except subprocess.TimeoutExpired:
        s.p.kill()
