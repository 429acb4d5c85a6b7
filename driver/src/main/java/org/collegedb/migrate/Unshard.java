package org.collegedb.migrate;

import java.sql.Connection;
import java.sql.DriverManager;
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
import org.collegedb.internal.directory.ClusterView;
import org.collegedb.internal.schema.TableRule;

/**
 * {@code unshard}: merges every shard of a configuration into one database while the application keeps writing
 * through CollegeDB. Steps: create the tables on the target, install change capture on every shard (a broadcast table
 * on the first shard only), copy every shard's rows in key order (a broadcast table from the first shard), catch up
 * from every shard's log, verify row by row (every row of the shards exactly once on the target, same values); state
 * {@code ready}. With {@code finish}: fence the shards, catch up a last time, verify, remove capture. State in
 * {@code collegedb_operations} in the directory database; resumable; {@code abort} drops the target's tables and
 * removes capture.
 */
public final class Unshard extends Migration {
  private final Database target;
  private final CollegeConfig config;
  private final String configUrl;
  private final Properties properties;

  private Unshard(String configUrl, Properties properties, CollegeConfig config, Database target,
      MigrationOptions options, OperationStore store, Operation op) {
    super(options, store, op);
    this.configUrl = configUrl;
    this.properties = properties;
    this.config = config;
    this.target = target;
  }

  /** Runs (or plans) the merge of the shards of {@code configUrl} into {@code target}. */
  public static MigrationReport run(String configUrl, Properties properties, Database target,
      MigrationOptions options) throws SQLException {
    String url = configUrl.startsWith(ConfigLoader.PREFIX) ? configUrl : ConfigLoader.PREFIX + configUrl;
    Properties props = properties == null ? new Properties() : properties;
    CollegeConfig config = CollegeConfig.of(ConfigLoader.load(url, props));
    String id = "unshard:" + target.url();
    List<SourceTable> tables;
    Map<String, TableRule> rules = new LinkedHashMap<>();
    try (Connection cdb = DriverManager.getConnection(url, props)) {
      ClusterView view = cdb.unwrap(ClusterView.class);
      try (Connection first = Database.of(config.shards().get(0)).connect()) {
        tables = SchemaReader.read(first);
      }
      for (SourceTable t : tables) {
        rules.put(t.key(), view.rule(t.key()));
      }
    }
    for (SourceTable t : tables) {
      if (t.primaryKey().isEmpty()) {
        throw new SQLException("cannot unshard: table '" + t.key() + "' has no primary key on the shards; rows are "
            + "copied in key order and changes applied by key", SqlStates.NOT_SUPPORTED);
      }
    }
    if (options.dryRun()) {
      return plan(id, config, tables, rules, target);
    }
    try (OperationStore store = OperationStore.open(config.directory())) {
      Operation op = store.find(id);
      if (op != null && op.state().equals(DONE) && options.abort()) {
        throw new SQLException("cannot abort " + id + ": it is finished (" + "the target holds the data now and the shards refuse writes"
            + "); nothing was changed", SqlStates.INVALID_TRANSACTION_STATE);
      }
      if (op != null && op.state().equals(DONE) && !options.abort()) {
        return new MigrationReport(id, DONE, List.of("the unshard into " + target.url() + " is finished already"),
            0, 0, 0, List.of());
      }
      if (op == null || op.state().equals(ABORTED) || op.state().equals(DONE)) {
        op = new Operation(id, "unshard", RUNNING, "validate", new LinkedHashMap<>(), 0);
        op.detail().put("target", target.url());
        op.detail().put("config", url);
      }
      Unshard u = new Unshard(url, props, config, target, options, store, op);
      return options.abort() ? u.abort(tables) : u.run(tables, rules);
    }
  }

  /** The tables read from shard {@code s}: every table on the first shard, the sharded ones elsewhere. */
  private static List<SourceTable> tablesOf(int s, List<SourceTable> tables, Map<String, TableRule> rules) {
    return s == 0 ? tables : tables.stream().filter(t -> !rules.get(t.key()).broadcast()).toList();
  }

  private MigrationReport run(List<SourceTable> tables, Map<String, TableRule> rules) throws SQLException {
    List<String> steps = List.of("validate", "create", "capture", "copy", "catch-up", "verify", "ready");
    int at = Math.max(0, steps.indexOf(op.step()));
    if (op.state().equals(READY)) {
      at = steps.indexOf("catch-up");
    }
    List<ShardSpec> specs = config.shards().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
    List<Connection> shards = new ArrayList<>();
    try (Connection sink = target.connect()) {
      for (ShardSpec spec : specs) {
        shards.add(Database.of(spec).connect());
      }
      Product from = Product.of(specs.get(0).url());
      if (at <= steps.indexOf("create")) {
        step("create");
        List<Object> created = Operation.list(op.detail().get("created"));
        for (SourceTable t : tables) {
          List<String> warnings = new ArrayList<>(t.notes());
          String ddl = DdlWriter.createTable(t, from, target.product(), warnings);
          try (Statement s = sink.createStatement()) {
            s.execute(ddl);
            for (String index : DdlWriter.createIndexes(t)) {
              s.execute(index);
            }
          }
          for (String w : warnings) {
            say("warning: " + w);
          }
          if (!created.contains(t.key())) {
            created.add(t.key());
            op.detail().put("created", created);
            store.save(op);
          }
          say("created " + t.key() + " on the target: " + ddl);
        }
      }
      if (at <= steps.indexOf("capture")) {
        step("capture");
        for (int s = 0; s < shards.size(); s++) {
          capture(shards.get(s), tablesOf(s, tables, rules));
        }
      }
      if (at <= steps.indexOf("copy")) {
        step("copy");
        for (int s = 0; s < shards.size(); s++) {
          for (SourceTable t : tablesOf(s, tables, rules)) {
            copy(specs.get(s).name(), shards.get(s), t, sink);
          }
        }
      }
      step("catch-up");
      catchUpAll(specs, shards, tables, rules, sink);
      if (options.finish()) {
        step("fence");
        for (int s = 0; s < shards.size(); s++) {
          for (SourceTable t : tables) {
            ReadOnlyFence.install(shards.get(s), from, t.name());
          }
        }
        op.detail().put("fenced", true);
        step("final catch-up");
        catchUpAll(specs, shards, tables, rules, sink);
      }
      step("verify");
      List<String> problems = new ArrayList<>();
      long verified = 0;
      options.progress().begin("verify", -1);
      for (SourceTable t : tables) {
        boolean broadcast = rules.get(t.key()).broadcast();
        List<RowCheck.Place> origins = new ArrayList<>();
        for (int s = 0; s < (broadcast ? 1 : shards.size()); s++) {
          origins.add(new RowCheck.Place(specs.get(s).name(), shards.get(s)));
        }
        List<RowCheck.Place> places = List.of(new RowCheck.Place("target", sink));
        RowCheck.Result r = RowCheck.check(t, origins, places, row -> null, false, null, options.progress());
        verified += r.rows();
        for (int round = 0; !r.differing().isEmpty() && round < VERIFY_ROUNDS; round++) {
          catchUpAll(specs, shards, tables, rules, sink);
          r = RowCheck.check(t, origins, places, row -> null, false, r.differing(), Progress.NONE);
        }
        if (!r.differing().isEmpty() && !options.finish()) {
          List<Object[]> settled = r.differing();
          for (RowCheck.Place o : origins) {
            settled = settled(settled, pending(o.connection(), t));
          }
          if (settled.size() < r.differing().size()) {
            say(t.key() + ": " + (r.differing().size() - settled.size()) + " row(s) changed again on the shards "
                + "during the verification; the next catch-up brings them");
          }
          r = settled.isEmpty() ? new RowCheck.Result(r.rows(), List.of(), List.of())
              : RowCheck.check(t, origins, places, row -> null, false, settled, Progress.NONE);
        }
        problems.addAll(r.problems());
      }
      options.progress().end();
      if (!problems.isEmpty()) {
        problems.forEach(p -> say("difference: " + p));
        say("verification found " + problems.size() + " difference(s): the unshard is not ready");
        op.state(RUNNING);
        store.save(op);
        return report(RUNNING, verified, problems);
      }
      say(String.format(Locale.ROOT, "verified %,d rows of %d table(s): every row of the shards once on the target",
          verified, tables.size()));
      if (options.finish()) {
        step("uncapture");
        for (Connection c : shards) {
          ChangeCapture.uninstallAll(c);
        }
        op.state(DONE);
        step("done");
        say("finished: the shards refuse writes, capture is removed; the application uses " + target.url());
        return report(DONE, verified, List.of());
      }
      op.state(READY);
      step("ready");
      say("ready: the target holds every row and follows the shards' changes until you switch.");
      say("next: point the application at " + target.url() + ", then run unshard again with --finish: the shards "
          + "refuse writes, a last catch-up and verify, capture removed.");
      return report(READY, verified, List.of());
    } finally {
      for (Connection c : shards) {
        c.close();
      }
    }
  }

  private void catchUpAll(List<ShardSpec> specs, List<Connection> shards, List<SourceTable> tables,
      Map<String, TableRule> rules, Connection sink) throws SQLException {
    for (int s = 0; s < shards.size(); s++) {
      Map<String, SourceTable> byName = new LinkedHashMap<>();
      tablesOf(s, tables, rules).forEach(t -> byName.put(t.key(), t));
      catchUp(specs.get(s).name(), shards.get(s), byName, sink);
    }
  }

  private MigrationReport abort(List<SourceTable> tables) throws SQLException {
    step("abort");
    for (ShardSpec spec : config.shards()) {
      try (Connection c = Database.of(spec).connect()) {
        for (SourceTable t : tables) {
          ReadOnlyFence.remove(c, Product.of(spec.url()), t.name());
        }
        ChangeCapture.uninstallAll(c);
      }
    }
    List<Object> created = Operation.list(op.detail().get("created"));
    try (Connection c = target.connect(); Statement s = c.createStatement()) {
      for (Object t : created) {
        s.execute("DROP TABLE IF EXISTS " + t);
        say("dropped " + t + " on the target");
      }
    }
    say("aborted: capture removed from the shards, which are writable; the tables the unshard created are dropped");
    op.state(ABORTED);
    store.save(op);
    return report(ABORTED, 0, List.of());
  }

  private static MigrationReport plan(String id, CollegeConfig config, List<SourceTable> tables,
      Map<String, TableRule> rules, Database target) throws SQLException {
    List<String> lines = new ArrayList<>();
    List<ShardSpec> specs = config.shards().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
    lines.add("unshard " + specs.size() + " shards into " + target.url() + " (dry run: nothing changes)");
    long[] total = new long[2];
    for (int s = 0; s < specs.size(); s++) {
      long rows = 0;
      long bytes = 0;
      StringBuilder b = new StringBuilder();
      try (Connection c = Database.of(specs.get(s)).connect()) {
        for (SourceTable t : tablesOf(s, tables, rules)) {
          long[] rb = measure(c, t);
          rows += rb[0];
          bytes += rb[1];
          b.append(String.format(Locale.ROOT, "%s %,d; ", t.key(), rb[0]));
        }
      }
      total[0] += rows;
      total[1] += bytes;
      lines.add(String.format(Locale.ROOT, "  from %-6s %,12d rows %,14d bytes  (%s)", specs.get(s).name(), rows,
          bytes, b.toString().trim()));
    }
    for (SourceTable t : tables) {
      lines.add("  create: " + DdlWriter.createTable(t, Product.of(specs.get(0).url()), target.product())
          + (rules.get(t.key()).broadcast() ? "   -- broadcast: copied from " + specs.get(0).name() : ""));
    }
    lines.add(String.format(Locale.ROOT, "to move: %,d rows, %,d bytes", total[0], total[1]));
    return new MigrationReport(id, "planned", lines, 0, 0, 0, List.of());
  }

  private static long[] measure(Connection c, SourceTable t) throws SQLException {
    long rows = 0;
    long bytes = 0;
    Object[] last = null;
    while (true) {
      List<Object[]> batch = RowCopy.read(c, t, last, 5000);
      for (Object[] row : batch) {
        rows++;
        bytes += Split.size(row);
      }
      if (batch.size() < 5000) {
        return new long[] {rows, bytes};
      }
      int[] ki = t.keyIndexes();
      last = new Object[ki.length];
      for (int i = 0; i < ki.length; i++) {
        last[i] = batch.get(batch.size() - 1)[ki[i]];
      }
    }
  }
}
