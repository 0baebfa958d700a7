/**
 * The repository around the working directory: its root, main worktree, git directories and branch, read from
 * {@code .git}, {@code commondir} and {@code HEAD} directly (no {@code git} process), the state and missions
 * directories, and the file-system checks. Depends only on the engine's root package.
 */
package dev.coord.engine.repo;
