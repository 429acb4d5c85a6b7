package org.collegedb.parse;

/** A table the statement reads or writes, as written (unquoted), with its alias or {@code null}. */
public record TableRef(String name, String alias) {
}
