package org.collegedb.migrate;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.collegedb.SqlStates;
import org.collegedb.capture.ChangeCapture;
import org.collegedb.internal.config.CollegeConfig;
import org.collegedb.internal.config.ConfigLoader;
import org.collegedb.internal.config.ShardSpec;
import org.collegedb.internal.config.TableSpec;
import org.collegedb.internal.directory.ClusterView;
import org.collegedb.internal.directory.DirectoryMaintenance;
import org.collegedb.internal.route.ShardMap;
import org.collegedb.internal.schema.TableRule;
import org.collegedb.internal.value.KeyHasher;
import org.collegedb.internal.value.KeyType;

/**
 * {@code split}: takes one existing database into the shards a configuration names, while the application keeps
 * writing to it. Steps: validate (every table sharded by a key, co-located or broadcast, and with a primary key),
 * create the tables on the shards through CollegeDB, install change capture on the source, copy every table in
 * primary-key order through CollegeDB, catch up with the changes captured meanwhile, verify row by row; the state is
 * then {@code ready}: switch the application's URL. With {@code finish}: fence the source (its tables refuse writes),
 * catch up a last time, verify, remove capture. The state lives in {@code collegedb_operations} in the directory
 * database: run again after a crash to resume; {@code abort} undoes.
 */
public final class Split extends Migration {
  private final Database source;
  private final String configUrl;
  private final Properties properties;
  private final CollegeConfig config;

  private Split(Database source, String configUrl, Properties properties, CollegeConfig config,
      MigrationOptions options, OperationStore store, Operation op) {
    super(options, store, op);
    this.source = source;
    this.configUrl = configUrl;
    this.properties = properties;
    this.config = config;
  }

  /**
   * Runs (or, with {@code options.dryRun()}, plans) the split of {@code source} into the shards of the
   * configuration {@code configUrl} ({@code jdbc:collegedb:<file>}).
   */
  public static MigrationReport run(Database source, String configUrl, Properties properties,
      MigrationOptions options) throws SQLException {
    String url = configUrl.startsWith(ConfigLoader.PREFIX) ? configUrl : ConfigLoader.PREFIX + configUrl;
    Properties props = properties == null ? new Properties() : properties;
    CollegeConfig config = CollegeConfig.of(ConfigLoader.load(url, props));
    List<SourceTable> tables;
    try (Connection c = source.connect()) {
      tables = SchemaReader.read(c);
    }
    if (!options.abort()) {
      validate(tables, config);
    }
    String id = "split:" + source.url();
    if (options.dryRun()) {
      return plan(id, source, tables, config);
    }
    try (OperationStore store = OperationStore.open(config.directory())) {
      Operation op = store.find(id);
      if (op != null && op.state().equals(DONE) && options.abort()) {
        throw new SQLException("cannot abort " + id + ": it is finished (" + "the shards hold the data now and the source refuses writes"
            + "); nothing was changed", SqlStates.INVALID_TRANSACTION_STATE);
      }
      if (op == null || op.state().equals(ABORTED) || op.state().equals(DONE) && !options.abort()) {
        if (op != null && op.state().equals(DONE)) {
          return new MigrationReport(id, DONE, List.of("the split of " + source.url() + " is finished already"),
              0, 0, 0, List.of());
        }
        op = new Operation(id, "split", RUNNING, "validate", new LinkedHashMap<>(), 0);
        op.detail().put("source", source.url());
        op.detail().put("config", url);
      }
      Split split = new Split(source, url, props, config, options, store, op);
      return options.abort() ? split.abort(tables) : split.run(tables);
    }
  }

  /** Reports every table that cannot be split, or returns. */
  static void validate(List<SourceTable> tables, CollegeConfig config) throws SQLException {
    List<String> problems = new ArrayList<>();
    for (SourceTable t : tables) {
      TableSpec spec = config.table(t.key());
      if (!spec.broadcast() && spec.key().isEmpty() && t.primaryKey().isEmpty()) {
        problems.add(t.key() + ": no shard key: it has no primary key and the configuration names no key for it "
            + "(set tables." + t.key() + ".key, or tables." + t.key() + ".broadcast=true for reference data)");
        continue;
      }
      for (String k : spec.key()) {
        if (t.column(k) == null) {
          problems.add(t.key() + ": its configured key column '" + k + "' is not a column of the table " + t.columnNames());
        }
      }
      if (t.primaryKey().isEmpty()) {
        problems.add(t.key() + ": no primary key: rows are copied in key order and changes applied by key; add a "
            + "primary key to the source table first");
      }
    }
    if (!problems.isEmpty()) {
      throw new SQLException("cannot split: " + problems.size() + " table(s) cannot be sharded:\n  "
          + String.join("\n  ", problems), SqlStates.NOT_SUPPORTED);
    }
  }

  /**
   * The split's own CollegeDB connection. Its multi-shard batches commit shard by shard ({@code
   * transactions=best-effort}): every copy batch and catch-up batch can be applied again after a failure, so
   * two-phase commit would buy nothing here.
   */
  private Connection college() throws SQLException {
    Properties p = new Properties();
    p.putAll(properties);
    p.setProperty("transactions", "best-effort");
    return DriverManager.getConnection(configUrl, p);
  }

  private MigrationReport run(List<SourceTable> tables) throws SQLException {
    Map<String, SourceTable> byName = new LinkedHashMap<>();
    tables.forEach(t -> byName.put(t.key(), t));
    List<String> steps = List.of("validate", "create", "capture", "copy", "catch-up", "verify", "ready");
    int at = Math.max(0, steps.indexOf(op.step()));
    if (op.state().equals(READY)) {
      at = steps.indexOf("catch-up");
    }
    try (Connection src = source.connect(); Connection cdb = college()) {
      if (at <= steps.indexOf("create")) {
        step("create");
        createTables(tables, cdb, src);
      }
      if (at <= steps.indexOf("capture")) {
        step("capture");
        capture(src, tables);
      }
      if (at <= steps.indexOf("copy")) {
        step("copy");
        for (SourceTable t : tables) {
          copy("", src, t, cdb);
        }
      }
      step("catch-up");
      catchUp("", src, byName, cdb);
      if (options.finish()) {
        step("fence");
        for (SourceTable t : tables) {
          ReadOnlyFence.install(src, source.product(), t.name());
        }
        op.detail().put("fenced", true);
        step("final catch-up");
        catchUp("", src, byName, cdb);
      }
      step("verify");
      List<String> problems = new ArrayList<>();
      long verified = verify(src, cdb, tables, byName, problems);
      if (!problems.isEmpty()) {
        op.state(RUNNING);
        store.save(op);
        problems.forEach(p -> say("difference: " + p));
        say("verification found " + problems.size() + " difference(s): the split is not ready");
        return report(RUNNING, verified, problems);
      }
      say(String.format(Locale.ROOT, "verified %,d rows of %d table(s): every row on the shard the map names, "
          + "exactly once", verified, tables.size()));
      if (options.finish()) {
        step("uncapture");
        ChangeCapture.uninstallAll(src);
        op.state(DONE);
        step("done");
        say("finished: the source refuses writes, capture is removed; the application uses " + configUrl);
        return report(DONE, verified, List.of());
      }
      op.state(READY);
      step("ready");
      say("ready: the shards hold every row and follow the source's changes until you switch.");
      say("next: point the application at " + configUrl + " (stop its writes to the source), then run split "
          + "again with --finish: the source refuses writes, a last catch-up and verify, capture removed.");
      return report(READY, verified, List.of());
    }
  }

  private void createTables(List<SourceTable> tables, Connection cdb, Connection src) throws SQLException {
    List<Object> created = Operation.list(op.detail().get("created"));
    Product from = source.product();
    Product to = Product.of(config.shards().get(0).url());
    List<String> existing = new ArrayList<>();
    for (SourceTable t : SchemaReader.read(firstShard(cdb))) {
      existing.add(t.key());
    }
    for (SourceTable t : tables) {
      if (existing.contains(t.key()) && !created.contains(t.key())) {
        try (Statement s = cdb.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + t.key())) {
          rs.next();
          if (rs.getLong(1) > 0) {
            throw new SQLException("table '" + t.key() + "' exists on the shards already and holds " + rs.getLong(1)
                + " row(s): split copies into new tables only (drop it, or split into other shards)",
                SqlStates.NOT_SUPPORTED);
          }
        }
      }
      List<String> warnings = new ArrayList<>(t.notes());
      String ddl = DdlWriter.createTable(t, from, to, warnings);
      List<String> indexes = DdlWriter.createIndexes(t);
      try (Statement s = cdb.createStatement()) {
        s.execute(ddl);
        for (String index : indexes) {
          s.execute(index);
        }
      }
      if (!created.contains(t.key())) {
        created.add(t.key());
        op.detail().put("created", created);
        store.save(op);
      }
      say("created " + t.key() + " on every shard: " + ddl);
      for (String index : indexes) {
        say("  " + index);
      }
      for (String w : warnings) {
        say("warning: " + w);
      }
    }
  }

  private static Connection firstShard(Connection cdb) throws SQLException {
    return cdb.unwrap(ClusterView.class).shards().use(0);
  }

  /**
   * Compares the source with the shards, read directly; rows that differ are checked again after a catch-up (the
   * source may still be written), up to {@value #VERIFY_ROUNDS} times.
   */
  private long verify(Connection src, Connection cdb, List<SourceTable> tables, Map<String, SourceTable> byName,
      List<String> problems) throws SQLException {
    ClusterView view = cdb.unwrap(ClusterView.class);
    DirectoryMaintenance maintenance = new DirectoryMaintenance(view);
    List<Connection> shards = new ArrayList<>();
    try {
      List<RowCheck.Place> places = new ArrayList<>();
      for (ShardSpec spec : config.shards()) {
        Connection c = Database.of(spec).connect();
        shards.add(c);
        places.add(new RowCheck.Place(spec.name(), c));
      }
      List<RowCheck.Place> origin = List.of(new RowCheck.Place("source", src));
      long rows = 0;
      options.progress().begin("verify", -1);
      for (SourceTable t : tables) {
        TableRule rule = view.rule(t.key());
        RowCheck.Owner owner = owner(rule, t, maintenance);
        RowCheck.Result r = RowCheck.check(t, origin, places, owner, rule.broadcast(), null, options.progress());
        rows += r.rows();
        for (int round = 0; !r.differing().isEmpty() && round < VERIFY_ROUNDS; round++) {
          catchUp("", src, byName, cdb);
          r = RowCheck.check(t, origin, places, owner, rule.broadcast(), r.differing(), Progress.NONE);
        }
        if (!r.differing().isEmpty() && !options.finish()) {
          List<Object[]> settled = settled(r.differing(), pending(src, t));
          if (settled.size() < r.differing().size()) {
            say(t.key() + ": " + (r.differing().size() - settled.size()) + " row(s) changed again at the source "
                + "during the verification; the next catch-up brings them");
          }
          r = settled.isEmpty() ? new RowCheck.Result(r.rows(), List.of(), List.of())
              : RowCheck.check(t, origin, places, owner, rule.broadcast(), settled, Progress.NONE);
        }
        problems.addAll(r.problems());
      }
      options.progress().end();
      return rows;
    } finally {
      for (Connection c : shards) {
        c.close();
      }
    }
  }

  private static RowCheck.Owner owner(TableRule rule, SourceTable t, DirectoryMaintenance maintenance) {
    if (!rule.sharded()) {
      return row -> null;
    }
    int[] idx = new int[rule.keyColumns().size()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = t.columnNames().indexOf(rule.keyColumns().get(i));
    }
    return row -> {
      Object[] key = new Object[idx.length];
      for (int i = 0; i < idx.length; i++) {
        key[i] = row[idx[i]];
        if (key[i] == null) {
          return null;
        }
      }
      return maintenance.shardOf(rule.name(), key);
    };
  }

  private MigrationReport abort(List<SourceTable> tables) throws SQLException {
    step("abort");
    try (Connection src = source.connect()) {
      for (SourceTable t : tables) {
        ReadOnlyFence.remove(src, source.product(), t.name());
      }
      ChangeCapture.uninstallAll(src);
    }
    List<Object> created = Operation.list(op.detail().get("created"));
    if (!created.isEmpty()) {
      try (Connection cdb = college(); Statement s = cdb.createStatement()) {
        for (Object t : created) {
          s.execute("DROP TABLE IF EXISTS " + t);
          say("dropped " + t + " on every shard");
        }
      }
    }
    say("aborted: capture removed from the source, which is writable; the tables the split created are dropped");
    op.state(ABORTED);
    store.save(op);
    return report(ABORTED, 0, List.of());
  }

  /** The dry run: tables, rows and bytes, per shard by the first shard map; nothing is written anywhere. */
  private static MigrationReport plan(String id, Database source, List<SourceTable> tables, CollegeConfig config)
      throws SQLException {
    List<String> names = config.shards().stream().map(ShardSpec::name).sorted().toList();
    ShardMap map = ShardMap.initial(names);
    List<String> lines = new ArrayList<>();
    lines.add("split " + source.url() + " into " + names.size() + " shards " + names + " (dry run: nothing changes)");
    Product to = Product.of(config.shards().get(0).url());
    Map<String, long[]> totals = new LinkedHashMap<>();
    names.forEach(n -> totals.put(n, new long[2]));
    try (Connection c = source.connect()) {
      for (SourceTable t : tables) {
        TableSpec spec = config.table(t.key());
        List<String> key = spec.broadcast() ? List.of() : spec.key().isEmpty() ? t.primaryKey() : spec.key();
        int[] idx = new int[key.size()];
        KeyType[] types = new KeyType[key.size()];
        for (int i = 0; i < idx.length; i++) {
          idx[i] = t.columnNames().indexOf(key.get(i));
          Column col = t.column(key.get(i));
          types[i] = KeyType.of(col.jdbcType(), col.typeName());
        }
        Map<String, long[]> per = new LinkedHashMap<>();
        names.forEach(n -> per.put(n, new long[2]));
        long rows = 0;
        long bytes = 0;
        Object[] last = null;
        while (true) {
          List<Object[]> batch = RowCopy.read(c, t, last, 5000);
          for (Object[] row : batch) {
            long size = size(row);
            rows++;
            bytes += size;
            if (spec.broadcast()) {
              per.values().forEach(v -> {
                v[0]++;
                v[1] += size;
              });
            } else {
              Object[] k = new Object[idx.length];
              boolean nullKey = false;
              for (int i = 0; i < idx.length; i++) {
                nullKey |= row[idx[i]] == null;
                k[i] = row[idx[i]] == null ? null : KeyHasher.canonical(types[i], row[idx[i]]);
              }
              long[] v = per.get(map.owner(nullKey ? KeyHasher.NULL_POSITION : KeyHasher.hash(types, k)));
              v[0]++;
              v[1] += size;
            }
          }
          if (batch.size() < 5000) {
            break;
          }
          last = new Object[t.primaryKey().size()];
          int[] ki = t.keyIndexes();
          for (int i = 0; i < ki.length; i++) {
            last[i] = batch.get(batch.size() - 1)[ki[i]];
          }
        }
        String how = spec.broadcast() ? "broadcast (whole on every shard)" : "sharded by " + key
            + (spec.key().isEmpty() ? " (its primary key)" : "");
        lines.add(String.format(Locale.ROOT, "table %s: %,d rows, %,d bytes, %s", t.key(), rows, bytes, how));
        List<String> warnings = new ArrayList<>(t.notes());
        lines.add("  create: " + DdlWriter.createTable(t, source.product(), to, warnings));
        for (String index : DdlWriter.createIndexes(t)) {
          lines.add("  create: " + index);
        }
        for (String w : warnings) {
          lines.add("  warning: " + w);
        }
        StringBuilder b = new StringBuilder("  ");
        for (Map.Entry<String, long[]> e : per.entrySet()) {
          b.append(String.format(Locale.ROOT, "%s %,d rows %,d bytes; ", e.getKey(), e.getValue()[0],
              e.getValue()[1]));
          totals.get(e.getKey())[0] += e.getValue()[0];
          totals.get(e.getKey())[1] += e.getValue()[1];
        }
        lines.add(b.toString().trim());
      }
    }
    lines.add("to move, per shard:");
    for (Map.Entry<String, long[]> e : totals.entrySet()) {
      lines.add(String.format(Locale.ROOT, "  %-6s %,12d rows %,14d bytes", e.getKey(), e.getValue()[0],
          e.getValue()[1]));
    }
    if (config.directory().placesKeys()) {
      lines.add("note: the directory places keys (strategy, size limit or placements): the shards are chosen as rows "
          + "are inserted; the figures above are by the hash");
    }
    return new MigrationReport(id, "planned", lines, 0, 0, 0, List.of());
  }

  static long size(Object[] row) {
    long n = 0;
    for (Object v : row) {
      if (v == null) {
        n += 1;
      } else if (v instanceof String s) {
        n += s.getBytes(StandardCharsets.UTF_8).length;
      } else if (v instanceof byte[] b) {
        n += b.length;
      } else {
        n += 8;
      }
    }
    return n;
  }
}
