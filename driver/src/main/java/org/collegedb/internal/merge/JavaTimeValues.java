package org.collegedb.internal.merge;

import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * {@code getObject(column, <java.time type>)} for shard drivers that do not convert to that type themselves
 * (sqlite-jdbc has no OffsetDateTime or Instant): read through the driver's JDBC date/time getters, in the JVM's zone
 * as those getters are.
 */
final class JavaTimeValues {
  private JavaTimeValues() {
  }

  /** {@code rs.getObject(column, type)}, converting here what the driver does not convert to java.time. */
  static <T> T getObject(ResultSet rs, int column, Class<T> type) throws SQLException {
    try {
      return rs.getObject(column, type);
    } catch (java.sql.SQLFeatureNotSupportedException e) {
      if (handles(type)) {
        return read(rs, column, type);
      }
      throw e;
    }
  }

  /** Whether {@link #read} knows {@code type}. */
  private static boolean handles(Class<?> type) {
    return type == LocalDate.class || type == LocalDateTime.class || type == LocalTime.class
        || type == OffsetDateTime.class || type == ZonedDateTime.class || type == Instant.class
        || type == OffsetTime.class;
  }

  static <T> T read(ResultSet rs, int column, Class<T> type) throws SQLException {
    Object value;
    if (type == LocalDate.class) {
      Date d = rs.getDate(column);
      value = d == null ? null : d.toLocalDate();
    } else if (type == LocalTime.class) {
      Time t = rs.getTime(column);
      value = t == null ? null : t.toLocalTime();
    } else if (type == LocalDateTime.class) {
      Timestamp ts = rs.getTimestamp(column);
      value = ts == null ? null : ts.toLocalDateTime();
    } else if (type == OffsetTime.class) {
      LocalTime t = local(rs, column, LocalTime.class);
      value = t == null ? null : t.atOffset(ZoneId.systemDefault().getRules().getOffset(Instant.now()));
    } else {
      LocalDateTime l = local(rs, column, LocalDateTime.class);
      ZonedDateTime z = l == null ? null : l.atZone(ZoneId.systemDefault());
      value = z == null ? null : type == ZonedDateTime.class ? z : type == Instant.class ? z.toInstant()
          : z.toOffsetDateTime();
    }
    return type.cast(value);
  }

  /** The local value as the driver reads it (it knows how it stored it), else through the JDBC getters. */
  private static <T> T local(ResultSet rs, int column, Class<T> type) throws SQLException {
    try {
      return rs.getObject(column, type);
    } catch (java.sql.SQLFeatureNotSupportedException e) {
      return read(rs, column, type);
    }
  }
}
