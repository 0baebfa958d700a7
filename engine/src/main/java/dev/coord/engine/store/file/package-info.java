/**
 * The file store: the state in {@code .claude/coordination/} of the main worktree. One transaction per mutation
 * under an in-JVM lock and an OS file lock; documents written to a temp file and renamed over the old one; the
 * decision log appended and forced. Depends on {@code store}, {@code rules}, {@code model}, {@code liveness} and
 * {@code json}; nothing above the store knows it except the composition roots that open it.
 */
package dev.coord.engine.store.file;
