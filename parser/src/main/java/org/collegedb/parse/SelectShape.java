package org.collegedb.parse;

/** How the top level of a query is built, for merging the answers of several shards. */
public record SelectShape() {
}
