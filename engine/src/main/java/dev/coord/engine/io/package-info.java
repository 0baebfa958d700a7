/**
 * The one file-I/O toolkit of coord ({@link dev.coord.engine.io.AtomicFiles}): atomic replacement, moves that never
 * replace, temp-file clean-up, setting unreadable files aside, positional reads. Used by the file store and the
 * mission files; depends on nothing of coord.
 */
package dev.coord.engine.io;
