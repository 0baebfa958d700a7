/**
 * Path policy: which paths a session may lock and the lock key each path becomes ({@link
 * dev.coord.engine.path.PathPolicy}; inside the repository, no state directory, symbolic links resolved), and when two
 * keys overlap ({@link dev.coord.engine.path.LockKeys}). Paths are untrusted input. Depends only on the engine's root
 * package.
 */
package dev.coord.engine.path;
