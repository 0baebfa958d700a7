/**
 * git across sessions: the overlap radar (which files two live sessions both changed, in their worktrees or on their
 * branches, and whether merging them would really conflict) and the guard for worktrees that several sessions share
 * (a shell command parser and the verdicts on git commands that act on the whole tree).
 *
 * <p>git runs only here, from background threads and hooks, never inside a tool call: {@link RadarRefresher} keeps
 * the newest {@link RadarResult} in memory and shares it with the other servers of the repository through a cache
 * file in the state directory.
 */
package dev.coord.engine.git;
