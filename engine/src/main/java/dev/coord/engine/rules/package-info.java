/**
 * The rules: what is allowed. Pure functions over one transaction's {@link dev.coord.engine.rules.State} (no I/O; the
 * time is the state's); every store runs them under its cross-process exclusion, so that the file store and
 * PostgreSQL decide alike. May depend on {@code model}, {@code path}, {@code liveness} and the JDK; nothing here
 * knows MCP, files or SQL.
 *
 * <p><b>How a grant is decided.</b> A store runs, in one transaction:
 *
 * <ol>
 *   <li>{@link dev.coord.engine.rules.RegistryRules#enter}: the caller is registered (or revived, with notices telling
 *       what it lost), its heartbeat refreshed and its own unexpired leases renewed; then {@code sweep} reaps dead
 *       instances (their locks and waits are voided, a tombstone remembers them) and drops expired leases;
 *   <li>{@link dev.coord.engine.rules.LockRules#acquire}: the requests are merged (one per key, the stronger mode
 *       wins); a request conflicts with every lock of another instance whose key overlaps it ({@link
 *       dev.coord.engine.path.LockKeys#overlaps}: the same key, or a directory key above or below it) in a mode it is
 *       not compatible with ({@link dev.coord.engine.model.LockMode#compatibleWith}: only shared with shared), and
 *       with every earlier waiter asking for such a key (first come, first served: no one overtakes a waiter);
 *   <li>any conflict: nothing is granted (all or nothing); a caller that waits keeps or takes its place in the
 *       queue; otherwise every key is granted with a new fencing token (greater than any before, in any process), or
 *       its lease is renewed when the caller already holds it in the same mode; the release mark of the key tells
 *       whether another session changed the file since it let it go.
 * </ol>
 *
 * {@link dev.coord.engine.rules.MissionRules} decide mission claims the same way, over a {@link
 * dev.coord.engine.rules.MissionTable}.
 */
package dev.coord.engine.rules;
