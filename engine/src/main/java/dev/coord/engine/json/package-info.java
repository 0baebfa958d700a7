/** The one JSON configuration of coord (snake_case, ISO-8601 instants, nulls left out). Depends on nothing of coord. */
package dev.coord.engine.json;
