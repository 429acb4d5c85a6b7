package org.collegedb.internal.value;

import java.sql.SQLException;
import org.collegedb.SqlStates;
import org.collegedb.parse.Literals;
import org.collegedb.parse.Tokens;
import org.collegedb.parse.ValueRef;

/** The values of one execution: the statement's text (for literals) and its bound parameters. */
public final class Bindings {
  /** The values bound to {@code ?} placeholders, by 1-based index. */
  public interface Parameters {
    /** The value of parameter {@code index}; throws 07001 when it was never set. */
    Object value(int index) throws SQLException;

    Parameters NONE = index -> {
      throw new SQLException("parameter " + index + " has no value: a plain Statement has no parameters",
          SqlStates.INVALID_PARAMETER);
    };
  }

  private final Tokens tokens;
  private final Parameters parameters;
  private final boolean backslashEscapes;

  /** The same values over another text with the same parameters (a statement inside this one's text). */
  public Bindings over(Tokens other) {
    return new Bindings(other, parameters, backslashEscapes);
  }

  public Bindings(Tokens tokens, Parameters parameters, boolean backslashEscapes) {
    this.tokens = tokens;
    this.parameters = parameters;
    this.backslashEscapes = backslashEscapes;
  }

  public Tokens tokens() {
    return tokens;
  }

  public Parameters parameters() {
    return parameters;
  }

  /** The value a reference stands for; {@code null} for SQL NULL. */
  public Object value(ValueRef ref) throws SQLException {
    if (ref instanceof ValueRef.Param p) {
      return parameters.value(p.index());
    }
    if (ref instanceof ValueRef.Literal l) {
      return Literals.value(tokens, l, backslashEscapes);
    }
    if (ref instanceof ValueRef.Constant c) {
      return c.value();
    }
    throw new IllegalArgumentException("no value for " + ref);
  }
}
