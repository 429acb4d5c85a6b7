package org.collegedb.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.collegedb.internal.merge.FilteredResultSet;

/**
 * The metadata of the logical database: the first shard's (every shard holds the same schema), reporting the shards'
 * product so that tools choose the right dialect, CollegeDB as the driver, and without CollegeDB's own tables.
 */
final class CollegeDatabaseMetaData extends ForwardingDatabaseMetaData {
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
    return org.collegedb.internal.schema.SystemTables.namesInternal(table);
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

  /**
   * The catalog a null catalog argument means. A MySQL/MariaDB connection sees every database on its server (other
   * shards among them): the logical database is the first shard's.
   */
  private String catalog(String catalog) throws SQLException {
    return catalog == null && connection.cluster().dialect() == org.collegedb.internal.schema.Dialect.MYSQL
        ? connection.getCatalog() : catalog;
  }

  private static ResultSet visible(ResultSet rows) {
    return FilteredResultSet.hiding(rows, "TABLE_NAME", CollegeDatabaseMetaData::internal);
  }

  @Override
  public ResultSet getSchemas() throws SQLException {
    return FilteredResultSet.hiding(shard.getSchemas(), "TABLE_SCHEM", CollegeDatabaseMetaData::internal);
  }

  @Override
  public ResultSet getSchemas(String catalog, String schemaPattern) throws SQLException {
    return FilteredResultSet.hiding(shard.getSchemas(catalog(catalog), schemaPattern), "TABLE_SCHEM",
        CollegeDatabaseMetaData::internal);
  }

  @Override
  public ResultSet getTables(String catalog, String schemaPattern, String tableNamePattern, String[] types)
      throws SQLException {
    return visible(shard.getTables(catalog(catalog), schemaPattern, tableNamePattern, types));
  }

  @Override
  public ResultSet getColumns(String catalog, String schemaPattern, String tableNamePattern,
      String columnNamePattern) throws SQLException {
    return visible(shard.getColumns(catalog(catalog), schemaPattern, tableNamePattern, columnNamePattern));
  }

  @Override
  public ResultSet getIndexInfo(String catalog, String schema, String table, boolean unique, boolean approximate)
      throws SQLException {
    return visible(shard.getIndexInfo(catalog(catalog), schema, table, unique, approximate));
  }

  @Override
  public ResultSet getPrimaryKeys(String catalog, String schema, String table) throws SQLException {
    return visible(shard.getPrimaryKeys(catalog(catalog), schema, table));
  }

  @Override
  public ResultSet getImportedKeys(String catalog, String schema, String table) throws SQLException {
    return FilteredResultSet.hiding(shard.getImportedKeys(catalog(catalog), schema, table), "PKTABLE_NAME",
        CollegeDatabaseMetaData::internal);
  }

  @Override
  public ResultSet getExportedKeys(String catalog, String schema, String table) throws SQLException {
    return FilteredResultSet.hiding(shard.getExportedKeys(catalog(catalog), schema, table), "FKTABLE_NAME",
        CollegeDatabaseMetaData::internal);
  }

  @Override
  public ResultSet getCrossReference(String parentCatalog, String parentSchema, String parentTable,
      String foreignCatalog, String foreignSchema, String foreignTable) throws SQLException {
    return shard.getCrossReference(catalog(parentCatalog), parentSchema, parentTable, catalog(foreignCatalog),
        foreignSchema, foreignTable);
  }

  @Override
  public ResultSet getTablePrivileges(String catalog, String schemaPattern, String tableNamePattern)
      throws SQLException {
    return visible(shard.getTablePrivileges(catalog(catalog), schemaPattern, tableNamePattern));
  }

  @Override
  public ResultSet getColumnPrivileges(String catalog, String schema, String table, String columnNamePattern)
      throws SQLException {
    return visible(shard.getColumnPrivileges(catalog(catalog), schema, table, columnNamePattern));
  }

  @Override
  public ResultSet getBestRowIdentifier(String catalog, String schema, String table, int scope, boolean nullable)
      throws SQLException {
    return shard.getBestRowIdentifier(catalog(catalog), schema, table, scope, nullable);
  }

  @Override
  public ResultSet getVersionColumns(String catalog, String schema, String table) throws SQLException {
    return shard.getVersionColumns(catalog(catalog), schema, table);
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
