package dev.coord.tools;

import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.function.Supplier;

/** {@code status}: who is active, what is locked, recent decisions. */
public final class StatusTool extends AbstractTool {
    public static final String NAME = "status";

    public StatusTool(Supplier<Coordinator> coord) {
        super(coord);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    String title() {
        return "See who holds what";
    }

    @Override
    String description() {
        return """
                Who else works here and what they hold: sessions (task, lock count, first paths), your locks \
                (changed: edited since locked), recent decisions, missions, overlaps (files another session changed \
                too; conflict true|false|unknown), notices. Call it at the start, before editing shared areas, and \
                when a lock is refused. With paths: each free, yours or held (by whom, until when, why).""";
    }

    @Override
    ToolAnnotations annotations() {
        return hints(true, false, true);
    }

    @Override
    Object call(Args args) {
        return coord().status().status(args.strings("paths"));
    }
}
