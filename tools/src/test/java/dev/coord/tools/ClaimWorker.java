package dev.coord.tools;

import dev.coord.engine.EngineSettings;
import dev.coord.engine.InstanceIds;
import dev.coord.engine.Session;
import dev.coord.engine.liveness.HostIdentity;
import dev.coord.engine.liveness.LivenessJudge;
import dev.coord.engine.liveness.ProcessProbe;
import dev.coord.engine.mission.MissionSettler;
import dev.coord.engine.model.Instance;
import dev.coord.engine.service.MissionService;
import dev.coord.engine.store.file.FileStore;
import dev.coord.engine.store.file.FileStoreOptions;
import dev.coord.tools.MissionViews.ClaimResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * One claiming process of {@link ClaimRaceTest}: a real engine (file store, session with heartbeat, mission service)
 * in its own JVM. It prints {@code READY <instance id>}, waits for a line on stdin, then works in its mode and prints
 * {@code CLAIMED <mission id>} for each claim (flushed before it does anything else).
 *
 * <ul>
 *   <li>{@code race}: claims the best mission until nothing is claimable, completing those whose number is even;
 *       prints {@code END <claims> <refusals> <ms in claim calls> <longest claim call in ms>} and exits 0.
 *   <li>{@code hold}: claims one mission, then waits on stdin for ever (the test kills it with SIGKILL).
 *   <li>{@code halt}: dies ({@code Runtime.halt(77)}, no cleanup, as a crash) right after its first claim moved the
 *       file to {@code active/}, before stamping it.
 *   <li>{@code one:<mission id>}: claims that mission once and prints {@code WON}, or
 *       {@code LOST <code> <holder> <claimed at> <next candidate>}; exits 0.
 * </ul>
 *
 * Arguments: state directory, repository root, missions folder, mode.
 */
public final class ClaimWorker {
    static final int HALT_STATUS = 77;

    private ClaimWorker() {}

    public static void main(String[] args) throws Exception {
        Path stateDir = Path.of(args[0]);
        Path repo = Path.of(args[1]);
        Path missions = Path.of(args[2]);
        String mode = args[3];
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

        HostIdentity host = HostIdentity.current(System.getenv());
        EngineSettings settings = EngineSettings.defaults();
        FileStore store = FileStore.open(
                stateDir,
                Clock.systemUTC(),
                new LivenessJudge(settings.staleAfter(), host, ProcessProbe.system()),
                FileStoreOptions.defaults());
        Instant now = Instant.now();
        Instance self = new Instance(
                InstanceIds.newId(now),
                host.pid(),
                host.processStart(),
                host.host(),
                host.bootId(),
                repo.toString(),
                null,
                null,
                null,
                null,
                "claim race worker (" + mode + ")",
                null,
                now,
                now);
        Session session = new Session(store, settings, self, () -> null);
        session.start();
        MissionSettler.Steps steps = mode.equals("halt")
                ? (step, rec) -> {
                    if (step.equals("moved")) {
                        Runtime.getRuntime().halt(HALT_STATUS);
                    }
                }
                : MissionSettler.Steps.NONE;
        MissionCalls missionsService =
                new MissionCalls(new MissionService(store, session, repo, missions, ZoneOffset.UTC, steps));

        out.println("READY " + self.id());
        in.readLine();

        if (mode.startsWith("one:")) {
            ClaimResult r = missionsService.claim(mode.substring(4), null, false, null);
            out.println(
                    r.claimed()
                            ? "WON"
                            : "LOST " + r.code() + " " + r.heldBy().instanceId() + " "
                                    + r.heldBy().claimedAt() + " "
                                    + (r.next() == null ? "-" : r.next().id()));
            session.close("race over");
            store.close();
            System.exit(0);
        }
        int claims = 0;
        int refusals = 0;
        long claimNanos = 0;
        long maxClaimNanos = 0;
        while (true) {
            long t0 = System.nanoTime();
            ClaimResult r = missionsService.claim(null, null, false, null);
            long took = System.nanoTime() - t0;
            claimNanos += took;
            maxClaimNanos = Math.max(maxClaimNanos, took);
            if (r.claimed()) {
                claims++;
                String id = r.mission().id();
                out.println("CLAIMED " + id);
                if (mode.equals("hold")) {
                    in.readLine();
                    break;
                }
                if (Integer.parseInt(id.substring(id.lastIndexOf('-') + 1)) % 2 == 0) {
                    missionsService.finish(id, "done", "finished by " + self.id(), null, false);
                    out.println("COMPLETED " + id);
                }
            } else if (r.code().equals("NOT_FOUND")) {
                break;
            } else {
                refusals++;
            }
        }
        out.println("END " + claims + " " + refusals + " " + claimNanos / 1_000_000 + " " + maxClaimNanos / 1_000_000);
        session.close("race over");
        store.close();
        System.exit(0);
    }
}
