package org.collegedb.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import org.collegedb.merge.FilteredResultSet;

/**
 * The metadata of the logical database: the first shard's (every shard holds the same schema), reporting the shards'
 * product so that tools choose the right dialect, CollegeDB as the driver, and without CollegeDB's own tables.
 */
final class CollegeDatabaseMetaData extends ForwardingDatabaseMetaData {
  private static final String INTERNAL_PREFIX = "collegedb_";
  private final CollegeConnection connection;
  private final DatabaseMetaData shard;

  CollegeDatabaseMetaData(CollegeConnection connection, DatabaseMetaData shard) {
    this.connection = connection;
    this.shard = shard;
  }

  @Override
  protected DatabaseMetaData delegate() {
    return shard;
  }

  static boolean internal(String table) {
    return table.toLowerCase(Locale.ROOT).startsWith(INTERNAL_PREFIX);
  }

  @Override
  public Connection getConnection() {
    return connection;
  }

  @Override
  public String getURL() {
    return connection.url();
  }

  @Override
  public String getDriverName() {
    return "CollegeDB";
  }

  @Override
  public String getDriverVersion() {
    return CollegeDriver.VERSION + " (over " + safeDriverName() + ")";
  }

  private String safeDriverName() {
    try {
      return shard.getDriverName() + " " + shard.getDriverVersion();
    } catch (SQLException e) {
      return "unknown driver";
    }
  }

  @Override
  public int getDriverMajorVersion() {
    return CollegeDriver.MAJOR_VERSION;
  }

  @Override
  public int getDriverMinorVersion() {
    return CollegeDriver.MINOR_VERSION;
  }

  @Override
  public String getDatabaseProductName() throws SQLException {
    String configured = connection.cluster().config().productName();
    return configured != null ? configured : shard.getDatabaseProductName();
  }

  @Override
  public ResultSet getTables(String catalog, String schemaPattern, String tableNamePattern, String[] types)
      throws SQLException {
    return FilteredResultSet.hiding(shard.getTables(catalog, schemaPattern, tableNamePattern, types), "TABLE_NAME",
        CollegeDatabaseMetaData::internal);
  }

  @Override
  public ResultSet getColumns(String catalog, String schemaPattern, String tableNamePattern,
      String columnNamePattern) throws SQLException {
    return FilteredResultSet.hiding(shard.getColumns(catalog, schemaPattern, tableNamePattern, columnNamePattern),
        "TABLE_NAME", CollegeDatabaseMetaData::internal);
  }

  @Override
  public ResultSet getIndexInfo(String catalog, String schema, String table, boolean unique, boolean approximate)
      throws SQLException {
    return FilteredResultSet.hiding(shard.getIndexInfo(catalog, schema, table, unique, approximate), "TABLE_NAME",
        CollegeDatabaseMetaData::internal);
  }

  @Override
  public ResultSet getPrimaryKeys(String catalog, String schema, String table) throws SQLException {
    return FilteredResultSet.hiding(shard.getPrimaryKeys(catalog, schema, table), "TABLE_NAME",
        CollegeDatabaseMetaData::internal);
  }

  @Override
  public boolean supportsResultSetType(int type) {
    return type == ResultSet.TYPE_FORWARD_ONLY;
  }

  @Override
  public boolean supportsResultSetConcurrency(int type, int concurrency) {
    return type == ResultSet.TYPE_FORWARD_ONLY && concurrency == ResultSet.CONCUR_READ_ONLY;
  }

  @Override
  public boolean supportsStoredProcedures() {
    return false;
  }

  @Override
  public boolean supportsMultipleResultSets() {
    return false;
  }

  @Override
  public boolean supportsGetGeneratedKeys() {
    return true;
  }

  @Override
  public boolean supportsBatchUpdates() {
    return true;
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : shard.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || shard.isWrapperFor(iface);
  }
}
