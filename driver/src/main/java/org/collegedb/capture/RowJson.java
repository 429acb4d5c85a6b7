package org.collegedb.capture;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON of the change log: a row is a JSON object from column name to value. Numbers are JSON numbers (exact
 * decimal text), text is a JSON string, booleans are JSON booleans (MariaDB: 0/1), binary values are strings of hex
 * digits (PostgreSQL: with {@code \x} in front), dates and times are ISO-8601 strings. Decoding turns them back into
 * Java values by the column's JDBC type, recorded when capture was installed.
 */
final class RowJson {
  private static final JsonFactory JSON = new JsonFactory();

  private RowJson() {
  }

  /** An object of names to values, as the H2 trigger writes it (Java values from H2). */
  static String write(List<String> names, Object[] values, int[] indexes) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      for (int i : indexes) {
        g.writeFieldName(names.get(i));
        writeValue(g, values[i]);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a row as JSON: " + e.getMessage(), e);
    }
    return out.toString();
  }

  private static void writeValue(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof BigDecimal d) {
      g.writeNumber(d.toPlainString());
    } else if (v instanceof Double d && (d.isNaN() || d.isInfinite()) || v instanceof Float f && (f.isNaN()
        || f.isInfinite())) {
      g.writeString(v.toString());
    } else if (v instanceof Number n) {
      g.writeNumber(n.toString());
    } else if (v instanceof byte[] bytes) {
      g.writeString(HexFormat.of().formatHex(bytes));
    } else if (v instanceof java.sql.Timestamp t) {
      g.writeString(t.toLocalDateTime().toString());
    } else if (v instanceof java.sql.Date d) {
      g.writeString(d.toLocalDate().toString());
    } else if (v instanceof java.sql.Time t) {
      g.writeString(t.toLocalTime().toString());
    } else {
      g.writeString(v.toString()); // java.time values print ISO-8601; UUIDs, enums and intervals print their text
    }
  }

  /** The column list of a captured table as the registry keeps it: [{"name":..,"type":..,"key":..}, ...]. */
  static String writeColumns(CapturedTable table) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartArray();
      for (CapturedTable.Column c : table.columns()) {
        g.writeStartObject();
        g.writeStringField("name", c.lower());
        g.writeNumberField("type", c.type());
        g.writeNumberField("key", table.key().indexOf(c.name()) + 1);
        g.writeEndObject();
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a column list as JSON: " + e.getMessage(), e);
    }
    return out.toString();
  }

  /** Reads what {@link #writeColumns} wrote: lower-case column name to JDBC type, in column order. */
  static Map<String, Integer> readColumns(String json) {
    Map<String, Integer> types = new LinkedHashMap<>();
    for (Object o : (List<?>) parse(json)) {
      Map<?, ?> column = (Map<?, ?>) o;
      types.put((String) column.get("name"), ((Number) column.get("type")).intValue());
    }
    return types;
  }

  /** A row of the log: column names lower-cased, values decoded by {@code types}; null for SQL NULL. */
  static Map<String, Object> readRow(String json, Map<String, Integer> types) {
    if (json == null) {
      return null;
    }
    Map<?, ?> raw = (Map<?, ?>) parse(json);
    Map<String, Object> row = new LinkedHashMap<>();
    for (String column : types.keySet()) { // the table's column order first
      for (Map.Entry<?, ?> e : raw.entrySet()) {
        if (((String) e.getKey()).equalsIgnoreCase(column)) {
          row.put(column, decode(e.getValue(), types.get(column)));
        }
      }
    }
    for (Map.Entry<?, ?> e : raw.entrySet()) { // columns added since capture was installed
      String column = ((String) e.getKey()).toLowerCase(Locale.ROOT);
      if (!row.containsKey(column)) {
        row.put(column, e.getValue());
      }
    }
    return Collections.unmodifiableMap(row);
  }

  private static Object parse(String json) {
    try (JsonParser p = JSON.createParser(json)) {
      p.nextToken();
      return value(p);
    } catch (IOException e) {
      throw new IllegalStateException("the change log holds JSON that cannot be read (" + e.getMessage() + "): "
          + json, e);
    }
  }

  private static Object value(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          m.put(name, value(p));
        }
        return m;
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          list.add(value(p));
        }
        return list;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT -> {
        BigInteger b = p.getBigIntegerValue();
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
      }
      case VALUE_NUMBER_FLOAT -> {
        return p.getDecimalValue();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new IOException("unexpected " + t);
    }
  }

  /** A JSON value as the Java value of a column of JDBC type {@code type}; unexplained values stay as they are. */
  static Object decode(Object v, Integer type) {
    if (v == null || type == null) {
      return v;
    }
    try {
      switch (type) {
        case Types.BIT, Types.BOOLEAN -> {
          if (v instanceof Number n) {
            return n.intValue() != 0;
          }
          if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("t"))) {
            return Boolean.TRUE;
          }
          if (v instanceof String s && (s.equalsIgnoreCase("false") || s.equalsIgnoreCase("f"))) {
            return Boolean.FALSE;
          }
          return v;
        }
        case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> {
          if (v instanceof BigDecimal d) {
            return d.stripTrailingZeros().scale() <= 0 ? (Object) d.longValueExact() : d;
          }
          if (v instanceof String s) {
            return Long.parseLong(s.trim());
          }
          return v;
        }
        case Types.REAL, Types.FLOAT, Types.DOUBLE -> {
          if (v instanceof Number n) {
            return n.doubleValue();
          }
          if (v instanceof String s) {
            return Double.parseDouble(s.trim());
          }
          return v;
        }
        case Types.DECIMAL, Types.NUMERIC -> {
          if (v instanceof BigDecimal d) {
            return d;
          }
          if (v instanceof Long l) {
            return BigDecimal.valueOf(l);
          }
          if (v instanceof BigInteger b) {
            return new BigDecimal(b);
          }
          if (v instanceof String s) {
            return new BigDecimal(s.trim());
          }
          return v;
        }
        case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
            Types.CLOB, Types.NCLOB -> {
          return v instanceof BigDecimal d ? d.toPlainString() : v.toString();
        }
        case Types.DATE -> {
          return v instanceof String s ? LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s) : v;
        }
        case Types.TIME -> {
          return v instanceof String s ? LocalTime.parse(s) : v;
        }
        case Types.TIME_WITH_TIMEZONE -> {
          return v instanceof String s ? OffsetTime.parse(s) : v;
        }
        case Types.TIMESTAMP -> {
          return v instanceof String s ? LocalDateTime.parse(s.replace(' ', 'T')) : v;
        }
        case Types.TIMESTAMP_WITH_TIMEZONE -> {
          return v instanceof String s ? OffsetDateTime.parse(isoOffset(s.replace(' ', 'T'))) : v;
        }
        case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> {
          if (v instanceof String s) {
            return HexFormat.of().parseHex(s.startsWith("\\x") ? s.substring(2) : s);
          }
          return v;
        }
        default -> {
          return v;
        }
      }
    } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
      return v; // a value its column's type does not explain (SQLite stores any value in any column): as JSON had it
    }
  }

  /** PostgreSQL writes offsets as {@code +00} or {@code +05:30}; ISO-8601 wants {@code +00:00}. */
  private static String isoOffset(String s) {
    int sign = Math.max(s.lastIndexOf('+'), s.lastIndexOf('-'));
    if (sign > 10 && s.length() - sign == 3) {
      return s + ":00";
    }
    return s;
  }
}
