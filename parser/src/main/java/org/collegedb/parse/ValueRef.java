package org.collegedb.parse;

/**
 * Where a value in a statement comes from: a {@code ?} placeholder, a literal token of the text, or a constant
 * keyword. A plan holds these, never the values, so that one plan serves every text of the same shape.
 */
public sealed interface ValueRef {
  /** The 1-based JDBC parameter {@code index}. */
  record Param(int index) implements ValueRef {
  }

  /** The literal at token {@code token}; {@code negated} when a unary minus precedes it. */
  record Literal(int token, boolean negated) implements ValueRef {
  }

  /** A keyword constant: {@code TRUE}, {@code FALSE} or {@code NULL} (value {@code null}). */
  record Constant(Object value) implements ValueRef {
  }

  /** An expression the database evaluates, such as {@code now()}: its value is not known to the driver. */
  enum Computed implements ValueRef {
    EXPRESSION,
    /** The {@code DEFAULT} keyword in an INSERT row. */
    DEFAULT
  }
}
