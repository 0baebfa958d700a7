package dev.coord.tools;

import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;

/** {@code status}: who is active, what is locked, recent decisions. */
public final class StatusTool extends AbstractTool {
    public static final String NAME = "status";

    public StatusTool(Coordinator coord) {
        super(coord);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    String title() {
        return "See other sessions, locks, decisions and missions";
    }

    @Override
    String description() {
        return """
                See what the other Claude Code sessions on this repository are doing: their tasks, the locks \
                they hold, and the newest decisions. Call it at start, before editing shared areas, and when a \
                lock is refused. With paths, it answers only for those paths (free, yours, or held by whom).
                Returns you (your id, task and locks, with changed=true if a locked file was modified), instances, \
                locks (capped; more_* count the rest), recent_decisions, missions (queued, next, active with \
                claimer and stranded/stale flags, done, malformed), overlaps (files another session changed too; \
                conflict true|false|unknown), and notices you must act on.""";
    }

    @Override
    ToolAnnotations annotations() {
        return hints(true, false, true);
    }

    @Override
    Object call(Args args) {
        return coord.status().status(args.strings("paths"));
    }
}
