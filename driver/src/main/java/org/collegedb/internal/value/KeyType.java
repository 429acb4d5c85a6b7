package org.collegedb.internal.value;

import java.sql.Types;
import java.util.Locale;

/**
 * The kind of a shard-key column, which decides its canonical bytes: an INTEGER key bound with {@code setInt(7)},
 * {@code setLong(7)}, {@code setString("7")} or written as the literal {@code 7} is one key.
 */
public enum KeyType {
  INTEGER, DECIMAL, TEXT, BINARY, UUID, DATE, TIME, TIMESTAMP, BOOLEAN,
  /** Unknown column type: the value's own Java type decides. */
  OTHER;

  /** The key type of a column as {@code DatabaseMetaData.getColumns} describes it. */
  public static KeyType of(int jdbcType, String typeName) {
    String name = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
    if (name.equals("uuid")) {
      return UUID;
    }
    return switch (jdbcType) {
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> INTEGER;
      case Types.NUMERIC, Types.DECIMAL, Types.REAL, Types.FLOAT, Types.DOUBLE -> DECIMAL;
      case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
          Types.CLOB, Types.NCLOB -> TEXT;
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> BINARY;
      case Types.DATE -> DATE;
      case Types.TIME, Types.TIME_WITH_TIMEZONE -> TIME;
      case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> TIMESTAMP;
      case Types.BOOLEAN, Types.BIT -> BOOLEAN;
      default -> name.contains("int") ? INTEGER : name.contains("char") || name.contains("text") ? TEXT : OTHER;
    };
  }
}
