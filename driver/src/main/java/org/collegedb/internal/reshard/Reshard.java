package org.collegedb.internal.reshard;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.collegedb.SqlStates;
import org.collegedb.capture.Change;
import org.collegedb.capture.ChangeCapture;
import org.collegedb.internal.config.CollegeConfig;
import org.collegedb.internal.config.ShardSpec;
import org.collegedb.internal.directory.ClusterView;
import org.collegedb.internal.directory.DirectoryMoves;
import org.collegedb.internal.execute.BackendDrivers;
import org.collegedb.internal.execute.MapVersionDeclaration;
import org.collegedb.internal.route.ShardMap;
import org.collegedb.internal.route.ShardMapStore;
import org.collegedb.internal.schema.Dialect;
import org.collegedb.internal.schema.TableRule;

/**
 * Makes the stored shard map match the configuration, online: plan ({@link ReshardPlan}), then per run of the
 * operation recorded in {@link Operations} ({@code kind = reshard}): <b>prepare</b> (tables on joining shards, the
 * fence on every shard, change capture on the sources), <b>copy</b> (each source's tables in primary-key order in
 * batches, rows whose hash moves going to their new owner; the last copied key saved), <b>catchup</b> (the sources'
 * change logs applied to the new owners), <b>fenced</b> (each source's version raised: writes planned with the old
 * map are refused there and wait for the new one; a final catch-up; then, still fenced, the directory switch: the
 * moved rows' lookup entries and the placements of keys leaving a drained shard pointed at the rows' new shards,
 * through {@link DirectoryMoves}), <b>published</b> (the new map on every shard,
 * read back), <b>cleanup</b> (moved rows deleted from their old owners, capture removed), <b>done</b>. Each step
 * can be run again: a killed run is resumed by the next; {@code abort} before the directory switch undoes it. A row's
 * destination ({@code destinations}) is the target map's owner of its hash, unless the directory places its key
 * on a shard that stays: placed keys move only when their shard drains.
 */
public final class Reshard {
  static final String KIND = "reshard";
  private static final List<String> STEPS = List.of("prepare", "copy", "catchup", "fenced", "published", "cleanup",
      "done");

  /**
   * @param dryRun    print the plan, change nothing
   * @param rebalance even out the shards (by {@code by}: rows or size)
   * @param by        {@code rows} or {@code size}
   * @param abort     undo the operation in progress
   * @param stopAfter for tests: stop (as if killed) after this step ({@code copy-batch}: after the first batch)
   * @param batchSize rows per copy batch
   */
  public record Options(boolean dryRun, boolean rebalance, String by, boolean abort, String stopAfter,
      int batchSize, long graceMillis) {
    /** Waits, between publishing the map and deleting moved rows, so that every instance has looked for it. */
    public static final long DEFAULT_GRACE_MILLIS = 2 * org.collegedb.internal.run.Cluster.MAP_CHECK_MILLIS + 500;

    public static Options defaults() {
      return new Options(false, false, "rows", false, null, 1000, DEFAULT_GRACE_MILLIS);
    }

    public Options graceMillis(long millis) {
      return new Options(dryRun, rebalance, by, abort, stopAfter, batchSize, millis);
    }

    public Options dryRun(boolean on) {
      return new Options(on, rebalance, by, abort, stopAfter, batchSize, graceMillis);
    }

    public Options rebalance(String how) {
      return new Options(dryRun, how != null, how == null ? "rows" : how, abort, stopAfter, batchSize, graceMillis);
    }

    public Options abort(boolean on) {
      return new Options(dryRun, rebalance, by, on, stopAfter, batchSize, graceMillis);
    }

    public Options stopAfter(String step) {
      return new Options(dryRun, rebalance, by, abort, step, batchSize, graceMillis);
    }

    public Options batchSize(int rows) {
      return new Options(dryRun, rebalance, by, abort, stopAfter, rows, graceMillis);
    }
  }

  /** Told what the operation is doing: a step, and how far it got of how much (total -1 when unknown). */
  public interface Progress {
    void on(String step, long done, long total);

    Progress NONE = (s, d, t) -> { };
  }

  /**
   * What a run did.
   *
   * @param plan         the plan (the resumed operation's when one was resumed)
   * @param text         a report for people: the plan, or what was done
   * @param rowsMoved    rows copied to their new owners
   * @param switchMillis how long writes to the moving ranges were fenced (fence raised to map published)
   * @param state        {@code done}, {@code aborted}, {@code planned} (dry run) or {@code unchanged}
   */
  public record Result(ReshardPlan plan, String text, long rowsMoved, long switchMillis, String state) {
  }

  /** A run stopped on purpose after a step ({@link Options#stopAfter}), as if killed. */
  public static final class Stopped extends SQLException {
    Stopped(String step) {
      super("reshard stopped after step '" + step + "' (test hook)", SqlStates.GENERAL);
    }
  }

  private final ClusterView view;
  private final CollegeConfig config;
  private final List<String> names = new ArrayList<>();
  private final Map<String, Connection> connections = new LinkedHashMap<>();
  private final Map<String, ShardSpec> specs = new LinkedHashMap<>();
  private boolean ownSchema;
  private Options options;
  private Progress progress;
  private Operations operations;
  private String id;
  private Map<String, Object> state;
  private ShardMap from;
  private ShardMap to;
  private final Map<String, TableShape> shapes = new TreeMap<>();
  private final DirectoryMoves moves;
  private Dialect dialect;
  /** The steps done on several shards at once (the fences, the map, and their probes). */
  private final PerShard perShard = new PerShard();
  /** The probes of the unfenced catch-up running now (or last): how the switch raises and publishes. */
  private SwitchProbes probes = new SwitchProbes();

  public Reshard(ClusterView view) {
    this.view = view;
    this.config = view.config();
    this.moves = new DirectoryMoves(view);
  }

  public Result run(Options options, Progress progress) throws SQLException {
    this.options = options;
    this.progress = progress == null ? Progress.NONE : progress;
    try {
      open();
      return execute();
    } finally {
      perShard.close();
      try {
        view.reloadShardMap(); // the caller's own instance learns what the run published (also when it stopped)
      } catch (SQLException e) {
        // the caller's configuration may lack a shard the map names: its next statement says so
      }
      for (Connection c : connections.values()) {
        try {
          c.close();
        } catch (SQLException e) {
          // closing
        }
      }
      connections.clear();
      if (operations != null) {
        try {
          operations.close();
        } catch (SQLException e) {
          // closing
        }
        operations = null;
      }
    }
  }

  private void open() throws SQLException {
    for (ShardSpec spec : config.shards()) {
      Connection c = BackendDrivers.connect(spec);
      names.add(spec.name());
      specs.put(spec.name(), spec);
      connections.put(spec.name(), c);
      Dialect d = Dialect.detect(c);
      dialect = d;
      ownSchema = d == Dialect.POSTGRES || d == Dialect.H2;
      if (d == Dialect.SQLITE) {
        MapVersionDeclaration.registerUndeclared(c); // the mover's writes pass the fence
        try (Statement s = c.createStatement()) {
          s.execute("PRAGMA busy_timeout = 30000");
        }
      } else if (d == Dialect.MYSQL) {
        try (Statement s = c.createStatement()) {
          s.execute("SET @collegedb_map_version = NULL");
        }
      }
    }
    operations = new Operations(config.directory());
  }

  private Result execute() throws SQLException {
    Operations.Entry entry = operations.running(KIND);
    if (options.abort()) {
      if (entry == null) {
        return new Result(null, "no reshard in progress: nothing to abort", 0, 0, "unchanged");
      }
      load(entry);
      return abort();
    }
    if (entry != null) {
      load(entry);
    } else {
      ShardMap current = ShardMapStore.newest(names, new ArrayList<>(connections.values()), ownSchema);
      if (current == null) {
        throw new SQLException("no shard map on the shards: connect once through CollegeDB first", SqlStates.GENERAL);
      }
      ReshardPlan plan = ReshardPlan.of(current, names, config.drainedShards(),
          options.rebalance() ? weights(current) : null);
      if (options.dryRun()) {
        return new Result(plan, describe(plan), 0, 0, "planned");
      }
      if (plan.empty()) {
        return new Result(plan, "the shard map (version " + current.version() + ") already matches the "
            + "configuration: nothing to move", 0, 0, "unchanged");
      }
      id = "reshard-" + System.currentTimeMillis();
      from = plan.current();
      to = plan.target();
      state = new LinkedHashMap<>();
      state.put("from", from.version());
      state.put("to", to.version());
      state.put("fromRanges", rangesJson(from));
      state.put("toRanges", rangesJson(to));
      state.put("added", plan.added());
      state.put("drained", plan.drained());
      state.put("sources", new ArrayList<>(plan.sources()));
      state.put("targets", new ArrayList<>(plan.targets()));
      state.put("positions", new LinkedHashMap<String, Object>());
      state.put("copy", new LinkedHashMap<String, Object>());
      state.put("captured", new LinkedHashMap<String, Object>());
      state.put("rowsCopied", 0L);
      step = "prepare";
      operations.insert(new Operations.Entry(id, KIND, "running", "prepare", state));
    }
    if (options.dryRun()) {
      ReshardPlan plan = planOf();
      return new Result(plan, "a reshard is in progress (" + id + ", step " + step() + "):\n" + describe(plan), 0, 0,
          "planned");
    }
    long switchMillis = 0;
    boolean switched = false; // by this run (a resumed run may start after the switch); it can take under 1 ms
    while (!step().equals("done")) {
      String step = step();
      switch (step) {
        case "prepare" -> prepare();
        case "copy" -> copy();
        case "catchup" -> catchUp();
        case "fenced" -> {
          switchMillis = fenceAndPublish();
          switched = true;
        }
        case "published" -> cleanup();
        case "cleanup" -> finish();
        default -> throw new SQLException("unknown reshard step '" + step + "' in " + Operations.TABLE,
            SqlStates.GENERAL);
      }
    }
    try {
      view.reloadShardMap();
    } catch (SQLException e) {
      // the caller's configuration may lack a shard; the shards have the map
    }
    long rows = ((Number) state.get("rowsCopied")).longValue();
    return new Result(planOf(), "resharded: shard map version " + from.version() + " -> " + to.version() + ", "
        + rows + " rows moved" + (switched ? ", writes to moving ranges fenced for " + switchMillis + " ms"
        + estimated() : "") + warningLines(), rows, switchMillis, "done");
  }

  // ---------------------------------------------------------------- steps

  private void prepare() throws SQLException {
    // the reshard's row is committed: schema changes from now on are refused; those in flight end before tables() reads
    operations.awaitSchemaChanges(progress);
    shapes.clear(); // read again (a rebalance's plan read them before the wait)
    progress.on("prepare", 0, -1);
    List<String> added = strings("added");
    String template = from.owners().get(0);
    Connection tc = connections.get(template);
    ShardMapStore store = ShardMapStore.of(ownSchema);
    for (String a : added) {
      Connection c = connection(a);
      store.identify(c, a);
      for (TableShape t : tables()) {
        List<String> warnings = SchemaCopy.create(tc, c, t);
        if (!warnings.isEmpty()) { // what the joining shard lacks, said at the end
          List<Object> said = new ArrayList<>((List<?>) state.getOrDefault("warnings", List.of()));
          said.addAll(warnings);
          state.put("warnings", said);
        }
      }
      if (from.version() > 0 && store.readNewest(a, c) == null) {
        store.write(c, from);
      }
    }
    for (String name : names) {
      Connection c = connections.get(name);
      Fence fence = new Fence(c);
      fence.prepare(from.version());
      for (TableShape t : tables()) {
        if (!t.broadcast() && SchemaCopy.exists(c, t.name)) {
          fence.install(t.name);
        }
      }
    }
    Map<String, Object> captured = map("captured");
    Map<String, Object> positions = map("positions");
    for (String source : captureSources()) {
      Connection c = connections.get(source);
      List<String> before = ChangeCapture.capturedTables(c);
      List<String> mine = new ArrayList<>();
      for (TableShape t : tables()) {
        if (t.broadcast() && !(source.equals(template) && !added.isEmpty())) {
          continue;
        }
        if (!before.contains(t.name)) {
          ChangeCapture.install(c, t.name);
          mine.add(t.name);
        }
      }
      captured.put(source, mine);
      positions.put(source, ChangeCapture.head(c));
    }
    advance("copy");
    stopIf("prepare");
  }

  private void copy() throws SQLException {
    announceMotion();
    Map<String, Object> copy = map("copy");
    List<String> added = strings("added");
    String template = from.owners().get(0);
    long total = 0;
    for (String source : strings("sources")) {
      Connection c = connections.get(source);
      for (TableShape t : tables()) {
        if (t.broadcast()) {
          continue;
        }
        copyTable(c, source, t, copy, null);
        total++;
      }
    }
    for (String a : added) {
      for (TableShape t : tables()) {
        if (t.broadcast()) {
          copyTable(connections.get(template), template, t, copy, a);
        }
      }
    }
    advance("catchup");
    stopIf("copy");
  }

  /** Copies one table of {@code source}: its moving rows, or (a broadcast table) every row to {@code whole}. */
  private void copyTable(Connection c, String source, TableShape t, Map<String, Object> copy, String whole)
      throws SQLException {
    String key = (whole == null ? source : whole + "<" + source) + "/" + t.name;
    Object saved = copy.get(key);
    if ("done".equals(saved)) {
      return;
    }
    Object[] after = saved == null ? null : ((List<?>) saved).toArray();
    // The copy ends at the table's last key as it is now: change capture was on before this read, so every row
    // written after it (a key above this one included) reaches the new owner through the catch-up. Without the end,
    // writers inserting keys above the copy's position faster than it copies (increasing ids) kept it going for ever.
    Object[] upTo = org.collegedb.internal.copy.KeyOrder.lastKey(c, t.copy);
    long copied = 0;
    while (upTo != null) {
      List<Map<String, Object>> rows = RowWriter.readAfter(c, t, after, upTo, options.batchSize());
      if (rows.isEmpty()) {
        break;
      }
      Map<String, List<RowWriter.Op>> ops = new TreeMap<>();
      List<String> owners = whole != null ? null : destinations(t, source, rows, to, strings("drained"));
      for (int i = 0; i < rows.size(); i++) {
        Map<String, Object> row = rows.get(i);
        String owner = whole != null ? whole : owners.get(i);
        if (!owner.equals(source)) {
          ops.computeIfAbsent(owner, k -> new ArrayList<>()).add(new RowWriter.Op(t, t.primaryKeyOf(row), row));
        }
      }
      for (Map.Entry<String, List<RowWriter.Op>> e : ops.entrySet()) {
        RowWriter.apply(connection(e.getKey()), e.getValue());
        copied += e.getValue().size();
        state.put("rowsCopied", ((Number) state.get("rowsCopied")).longValue() + e.getValue().size());
      }
      after = t.primaryKeyOf(rows.get(rows.size() - 1));
      copy.put(key, jsonKey(after));
      save();
      progress.on("copy " + key, copied, -1);
      stopIf("copy-batch");
    }
    copy.put(key, "done");
    save();
  }

  /**
   * Applies the sources' changes since the saved positions to the new owners, in unfenced rounds, until the fenced
   * final catch-up is estimated to end within {@code reshard.maxSwitchMillis} ({@link CatchUpPace}: the changes left
   * in the logs at the measured apply rate). Each source's log is pruned up to the saved position as the rounds go.
   * When writers keep the estimate above the bound for {@code reshard.maxCatchUpSeconds}, the run stops with 54000 and
   * the operation stays at this step: run again, it continues; {@code abort} undoes it.
   */
  private void catchUp() throws SQLException {
    catchUpUnfenced();
    advance("fenced");
    stopIf("catchup");
  }

  /**
   * Unfenced rounds until the fenced final catch-up is estimated short enough; at the catch-up step, and again right
   * before the fence (the directory scan before it may have taken long while writers wrote).
   */
  private void catchUpUnfenced() throws SQLException {
    tables(); // the shapes the changes are read with
    org.collegedb.internal.config.ReshardSpec spec = config.reshard();
    long[] start = new long[1];
    CatchUpPace pace = new CatchUpPace(spec.maxSwitchMillis(), spec.maxCatchUpMillis(), heads(start), start[0]);
    probes = new SwitchProbes();
    while (true) {
      long applied = 0;
      long round = System.nanoTime();
      for (String source : captureSources()) {
        Connection c = connections.get(source);
        // a round reads what was committed when it began: writers cannot outrun it
        applied += applyLog(source, ChangeCapture.head(c), pace);
        if (pace.overdue()) {
          break;
        }
      }
      double roundMillis = (System.nanoTime() - round) / 1e6;
      long[] backlog = new long[1];
      pace.measured(heads(backlog), backlog[0], roundMillis, applied);
      pace.fixed(measureSwitch());
      Map<String, Object> report = pace.report();
      report.putAll(probes.report());
      state.put("catchUp", report);
      save();
      progress.on("catchup", applied, backlog[0]);
      if (pace.shortEnough()) {
        break;
      }
      if (pace.fixedTooLong() || pace.overdue() && !pace.extend()) {
        throw pace.outpaced(step());
      }
    }
  }

  /** Under the fence: applies every change up to the end of the sources' logs. */
  private void finalCatchUp() throws SQLException {
    tables();
    for (String source : captureSources()) {
      applyLog(source, ChangeCapture.head(connections.get(source)), null);
    }
  }

  /**
   * The sum of the capture sources' log heads; with {@code backlog}, its first element set to the changes after the
   * saved positions.
   */
  private long heads(long[] backlog) throws SQLException {
    Map<String, Object> positions = map("positions");
    long sum = 0;
    for (String source : captureSources()) {
      long head = ChangeCapture.head(connections.get(source));
      sum += head;
      if (backlog != null) {
        backlog[0] += Math.max(0, head - ((Number) positions.get(source)).longValue());
      }
    }
    return sum;
  }

  /**
   * Applies {@code source}'s changes from its saved position to {@code until}, saving the position after each batch.
   * Unfenced ({@code pace} set): stops early when the catch-up is overdue, and prunes the log up to the saved position
   * every few batches and at the end.
   *
   * @return the changes read
   */
  private long applyLog(String source, long until, CatchUpPace pace) throws SQLException {
    Connection c = connections.get(source);
    Map<String, Object> positions = map("positions");
    List<String> added = strings("added");
    String template = from.owners().get(0);
    long position = ((Number) positions.get(source)).longValue();
    long applied = 0;
    int batches = 0;
    while (position < until && (pace == null || !pace.overdue())) {
      long t0 = System.nanoTime();
      List<Change> changes = ChangeCapture.read(c, position, 2000);
      if (changes.isEmpty()) {
        break;
      }
      Map<String, List<RowWriter.Op>> ops = new TreeMap<>();
      Map<Map<String, Object>, String> owners = destinations(source, changes);
      for (Change ch : changes) {
        TableShape t = shapes.get(ch.table());
        if (t == null) {
          continue;
        }
        if (t.broadcast()) {
          if (source.equals(template)) {
            for (String a : added) {
              ops.computeIfAbsent(a, k -> new ArrayList<>()).add(new RowWriter.Op(t, t.primaryKeyOf(ch.row()),
                  ch.after()));
            }
          }
          continue;
        }
        if (ch.before() != null) {
          String owner = owners.get(ch.before());
          if (!owner.equals(source)) {
            ops.computeIfAbsent(owner, k -> new ArrayList<>())
                .add(new RowWriter.Op(t, t.primaryKeyOf(ch.before()), null));
          }
        }
        if (ch.after() != null) {
          String owner = owners.get(ch.after());
          if (!owner.equals(source)) {
            ops.computeIfAbsent(owner, k -> new ArrayList<>())
                .add(new RowWriter.Op(t, t.primaryKeyOf(ch.after()), ch.after()));
          }
        }
      }
      for (Map.Entry<String, List<RowWriter.Op>> e : ops.entrySet()) {
        RowWriter.apply(connection(e.getKey()), e.getValue());
      }
      if (scanned != null) { // after the scan (also unfenced, right before the fence): rows written since it
        movedSinceScan(source, changes, owners);
      }
      applied += changes.size();
      position = changes.get(changes.size() - 1).position();
      positions.put(source, position);
      save();
      if (pace != null) {
        pace.applied(changes.size(), System.nanoTime() - t0);
        if (++batches % 20 == 0) {
          prune(c, position);
        }
      }
    }
    if (pace != null) {
      prune(c, position);
    }
    return applied;
  }

  /**
   * Deletes {@code source}'s log entries up to {@code position}, saved as applied (every consumer registered on the
   * log must have acknowledged them too: {@link ChangeCapture#prune(Connection, long)}); the reshard reads the log
   * with its own saved position, and one reshard runs at a time.
   */
  private void prune(Connection c, long position) throws SQLException {
    int deleted = ChangeCapture.prune(c, position);
    state.put("pruned", ((Number) state.getOrDefault("pruned", 0L)).longValue() + deleted);
  }

  /**
   * Raises the sources' fences, catches up to the end of their logs, switches the directory, publishes the new map
   * everywhere; records the switch's duration and its parts ({@code switch} in the detail: fence raise, final
   * catch-up, directory switch, publication), next to the estimate the fence waited for ({@code catchUp}).
   */
  private long fenceAndPublish() throws SQLException {
    scanDirectory(); // before the fence: which lookup entries and placements the switch re-points
    catchUpUnfenced(); // what was written during the scan: the switch stays short
    progress.on("fence", 0, 1);
    long start = System.nanoTime();
    raiseFences();
    stopIf("fence-raised");
    long raised = System.nanoTime();
    finalCatchUp(); // every write the old map allowed on the sources has committed: read the logs to their end
    long caught = System.nanoTime();
    switchDirectory();
    stopIf("directory-switched");
    long switched = System.nanoTime();
    ShardMapStore store = ShardMapStore.of(ownSchema);
    List<ShardMap.Motion> switching = motion(ShardMap.Motion.SWITCHED);
    // every shard's motion before any shard's map: who reads the new map sees its motion
    boolean atOnce = probes.publishAtOnce();
    if (atOnce) {
      perShard.run(names, n -> store.writeMotion(connections.get(n), to.version(), switching));
      perShard.run(names, n -> store.write(connections.get(n), to));
    } else {
      for (int i = names.size() - 1; i >= 0; i--) { // the first shard (instances watch it) last
        store.writeMotion(connections.get(names.get(i)), to.version(), switching);
      }
      for (String name : names) {
        store.write(connections.get(name), to);
      }
    }
    long published = System.nanoTime();
    long millis = (published - start) / 1_000_000;
    perShard.run(names, name -> {
      ShardMap m = store.readNewest(name, connections.get(name));
      if (m == null || m.version() != to.version()) {
        throw new SQLException("shard '" + name + "' does not show shard map version " + to.version()
            + " after it was written: run reshard again", SqlStates.GENERAL);
      }
    });
    Map<String, Object> parts = new LinkedHashMap<>();
    parts.put("raiseMillis", (raised - start) / 1_000_000);
    parts.put("catchUpMillis", (caught - raised) / 1_000_000);
    parts.put("directoryMillis", (switched - caught) / 1_000_000);
    parts.put("publishMillis", (published - switched) / 1_000_000);
    parts.put("raisedAtOnce", raiseAtOnce());
    parts.put("publishedAtOnce", atOnce);
    state.put("switch", parts);
    state.put("fencedCatchUpMillis", parts.get("catchUpMillis"));
    state.put("switchMillis", millis);
    advance("published");
    progress.on("switch", 1, 1);
    stopIf("published");
    return millis;
  }

  /**
   * Raises the sources' fences (each waits for the writes in flight on its source), all at once when that measured
   * faster before the fence ({@link SwitchProbes}), else one after the other, and always one after the other on
   * MariaDB/MySQL: there a share lock asked for while a raise waits queues behind it (InnoDB), so a write that spans
   * two sources, holding one's lock and asking for the other's, could wait for a raise that waits for another such
   * write holding the second source: a wait across databases no server detects. One raise at a time, as before, never
   * has a raise waiting while another source's raise is asked for. On PostgreSQL a share lock asked for while a raise
   * waits is granted (it does not queue), on H2 a waiting raise holds no lock, and on SQLite a busy raise only retries:
   * a waiting raise holds up no writer there. Either way every raise has committed before the final catch-up reads
   * the logs: every write planned with the old map has committed or is refused by then.
   */
  private void raiseFences() throws SQLException {
    List<String> sources = strings("sources");
    if (raiseAtOnce()) {
      perShard.run(sources, s -> new Fence(connections.get(s)).raise(to.version()));
    } else {
      for (String source : sources) {
        new Fence(connections.get(source)).raise(to.version());
      }
    }
  }

  private boolean raisesAtOnce() {
    return dialect != Dialect.MYSQL;
  }

  /** Whether this switch raises the fences on every source at once: allowed, and measured faster. */
  private boolean raiseAtOnce() {
    return raisesAtOnce() && probes.raiseAtOnce();
  }

  /**
   * Measures, unfenced, the steps of the switch besides the final catch-up ({@link SwitchCost}): each source's
   * version row written unchanged (the raise's lock, wait and commit) and the ranges in motion of the current map
   * rewritten unchanged on every shard (the publication writes the motion, then the map: twice that), each both one
   * shard after the other and on all at once ({@link SwitchProbes}: the switch takes the faster), and, once the
   * directory scan has found the rows to re-point, a sample of their entries re-pointed at the shard they name (a
   * same-value update, one transaction like a batch of the switch) and the operation saved (the switch saves it
   * twice), scaled to every entry.
   */
  private SwitchCost measureSwitch() throws SQLException {
    List<String> sources = strings("sources");
    long t0 = System.nanoTime();
    for (String source : sources) {
      new Fence(connections.get(source)).touch();
    }
    double raiseOneByOne = (System.nanoTime() - t0) / 1e6;
    double raiseAtOnce = Double.POSITIVE_INFINITY;
    if (raisesAtOnce()) {
      t0 = System.nanoTime();
      perShard.run(sources, s -> new Fence(connections.get(s)).touch());
      raiseAtOnce = (System.nanoTime() - t0) / 1e6;
    }
    ShardMapStore store = ShardMapStore.of(ownSchema);
    List<ShardMap.Motion> copying = motion(ShardMap.Motion.COPY);
    t0 = System.nanoTime();
    for (String name : names) {
      store.writeMotion(connections.get(name), from.version(), copying);
    }
    double publishOneByOne = (System.nanoTime() - t0) / 1e6;
    t0 = System.nanoTime();
    perShard.run(names, n -> store.writeMotion(connections.get(n), from.version(), copying));
    double publishAtOnce = (System.nanoTime() - t0) / 1e6;
    probes.add(raiseOneByOne, raiseAtOnce, publishOneByOne, publishAtOnce);
    double directory = 0;
    long entries = 0;
    if (scanned != null && !"switched".equals(state.get("directory"))) {
      List<String> drained = strings("drained");
      boolean placements = moves.placesKeys() && !drained.isEmpty();
      int batch = Math.max(options.batchSize(), 1000);
      for (Map<String, List<DirectoryMoves.Moved>> bySource : scanned.moved.values()) {
        for (List<DirectoryMoves.Moved> rows : bySource.values()) {
          entries += rows.size();
        }
      }
      t0 = System.nanoTime();
      int sampled = 0;
      for (Map.Entry<String, Map<String, List<DirectoryMoves.Moved>>> bySource : scanned.moved.entrySet()) {
        boolean leaving = placements && drained.contains(bySource.getKey());
        for (Map.Entry<String, List<DirectoryMoves.Moved>> byTable : bySource.getValue().entrySet()) {
          List<DirectoryMoves.Moved> sample = new ArrayList<>();
          for (DirectoryMoves.Moved m : byTable.getValue()) {
            if (sampled + sample.size() >= batch) {
              break;
            }
            sample.add(new DirectoryMoves.Moved(m.row(), m.from(), m.from())); // pointed where it points
          }
          moves.repoint(shapes.get(byTable.getKey()).rule, sample, leaving);
          sampled += sample.size();
        }
      }
      double repoint = (System.nanoTime() - t0) / 1e6;
      long s0 = System.nanoTime();
      save();
      double saves = 2 * (System.nanoTime() - s0) / 1e6;
      directory = (sampled == 0 ? 0 : repoint * entries / sampled) + saves;
    }
    return new SwitchCost(probes.raiseMillis(), directory, entries, probes.publishMillis());
  }

  /** Deletes moved rows from their old owners (the switch is verified), removes the capture it installed. */
  private void cleanup() throws SQLException {
    // Instances that have not written since the switch learn the map within Cluster.MAP_CHECK_MILLIS; until then the
    // moved rows stay where their old map looks for them.
    progress.on("grace", 0, options.graceMillis());
    try {
      Thread.sleep(options.graceMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted", SqlStates.GENERAL, e);
    }
    for (String source : strings("sources")) {
      Connection c = connections.get(source);
      for (TableShape t : tables()) {
        if (t.broadcast()) {
          continue;
        }
        deleteNotOwned(c, source, t, false);
      }
    }
    advance("cleanup");
    stopIf("cleanup");
  }

  private void finish() throws SQLException {
    clearMotion();
    releaseCapture();
    state.put("finished", System.currentTimeMillis());
    operations.update(id, "done", "done", state);
    state.put("step", "done");
    step = "done";
  }

  // ---------------------------------------------------------------- ranges in motion

  /**
   * Before the first row is copied: records the moving ranges (phase copy) with the current map on every shard, and
   * waits one map check interval plus a margin, so that every running instance knows that target shards may hold
   * copies before any copy exists (its reads of every shard then keep only owned rows). Done once: a resumed copy
   * finds the motion recorded and does not wait again.
   */
  private void announceMotion() throws SQLException {
    ShardMapStore store = ShardMapStore.of(ownSchema);
    String first = names.get(0);
    ShardMap stored = store.readNewest(first, connections.get(first));
    if (stored != null && stored.version() == from.version() && stored.motion().equals(motion(ShardMap.Motion.COPY))) {
      return;
    }
    writeMotion(from.version(), ShardMap.Motion.COPY);
    long wait = Math.min(options.graceMillis(), org.collegedb.internal.run.Cluster.MAP_CHECK_MILLIS + 500);
    progress.on("announce", 0, wait);
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted", SqlStates.GENERAL, e);
    }
  }

  /** Records the moving ranges in {@code phase} with map {@code version} on every shard (the first shard last). */
  private void writeMotion(long version, String phase) throws SQLException {
    ShardMapStore store = ShardMapStore.of(ownSchema);
    List<ShardMap.Motion> motion = motion(phase);
    for (int i = names.size() - 1; i >= 0; i--) {
      store.writeMotion(connections.get(names.get(i)), version, motion);
    }
  }

  /** Deletes the ranges in motion from every shard (the first shard first: instances watch it). */
  private void clearMotion() throws SQLException {
    ShardMapStore store = ShardMapStore.of(ownSchema);
    for (String name : names) {
      store.clearMotion(connections.get(name));
    }
  }

  private List<ShardMap.Motion> motion(String phase) {
    List<ShardMap.Motion> out = new ArrayList<>();
    for (ReshardPlan.Move m : ReshardPlan.moves(from, to)) {
      out.add(new ShardMap.Motion(m.start(), m.end(), m.from(), m.to(), phase));
    }
    out.sort(java.util.Comparator.comparingLong(ShardMap.Motion::start));
    return out;
  }

  // ---------------------------------------------------------------- abort

  private Result abort() throws SQLException {
    String step = step();
    if (STEPS.indexOf(step) >= STEPS.indexOf("published") || state.get("directory") != null) {
      throw new SQLException("the reshard " + id + " has switched to shard map version " + to.version() + " (step "
          + step + (state.get("directory") != null ? ", directory entries re-pointed" : "") + "): it cannot be "
          + "aborted; run reshard again to finish it, then reshard back if needed",
          SqlStates.INVALID_TRANSACTION_STATE);
    }
    progress.on("abort", 0, -1);
    for (String target : strings("targets")) {
      Connection c = connection(target);
      for (TableShape t : tables()) {
        if (!SchemaCopy.exists(c, t.name)) {
          continue;
        }
        if (t.broadcast()) {
          if (strings("added").contains(target)) {
            try (Statement s = c.createStatement()) {
              s.execute("DELETE FROM " + t.name);
            }
          }
          continue;
        }
        deleteNotOwned(c, target, t, true);
      }
    }
    for (String source : strings("sources")) {
      new Fence(connections.get(source)).reset(from.version());
    }
    ShardMapStore store = ShardMapStore.of(ownSchema);
    for (String name : names) {
      store.deleteAbove(connections.get(name), from.version());
    }
    clearMotion();
    releaseCapture();
    operations.update(id, "aborted", step, state);
    return new Result(planOf(), "reshard " + id + " aborted at step " + step + ": copies deleted, shard map "
        + "version " + from.version() + " unchanged", 0, 0, "aborted");
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Deletes the rows of {@code t} on {@code shard} that belong elsewhere: at the cleanup, those whose destination
   * ({@code destinations}) is another shard; at an abort ({@code copies}), the copies the operation made there
   * (unplaced keys the old map gives to another shard, and keys placed on a drained shard).
   */
  private void deleteNotOwned(Connection c, String shard, TableShape t, boolean copies) throws SQLException {
    List<String> drained = strings("drained");
    Object[] after = null;
    long deleted = 0;
    // up to the last key now: no row it must delete can be written later (after the switch the fence stops writes
    // of keys the shard no longer owns; at an abort nothing copies any more), and writers inserting increasing keys
    // cannot keep the scan going
    Object[] upTo = org.collegedb.internal.copy.KeyOrder.lastKey(c, t.copy);
    while (upTo != null) {
      List<Map<String, Object>> rows = RowWriter.readAfter(c, t, after, upTo, Math.max(options.batchSize(), 1000));
      if (rows.isEmpty()) {
        break;
      }
      List<Object[]> gone = new ArrayList<>();
      List<String> placed = copies ? moves.placements(t.rule, rows) : destinations(t, shard, rows, to, drained);
      for (int i = 0; i < rows.size(); i++) {
        Map<String, Object> row = rows.get(i);
        String p = placed.get(i);
        boolean elsewhere = !copies ? !p.equals(shard)
            : p == null ? !from.owner(t.hash(row)).equals(shard) : drained.contains(p) && !p.equals(shard);
        if (elsewhere) {
          gone.add(t.primaryKeyOf(row));
        }
      }
      RowWriter.delete(c, t, gone);
      deleted += gone.size();
      after = t.primaryKeyOf(rows.get(rows.size() - 1));
      progress.on("cleanup " + shard + "/" + t.name, deleted, -1);
    }
  }

  /**
   * Where each row of {@code source} belongs under {@code target}. A key the directory places (a placement naming a
   * shard that is not drained) stays where it is: the placement, not the map, says where it lives; a row of a
   * drained shard follows its placement. A key without a placement, or placed on a drained shard, goes to the
   * target map's owner of its hash.
   */
  private List<String> destinations(TableShape t, String source, List<Map<String, Object>> rows, ShardMap target,
      java.util.Collection<String> drained) throws SQLException {
    List<String> placed = moves.placements(t.rule, rows);
    List<String> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      String p = placed.get(i);
      if (p == null || drained.contains(p)) {
        out.add(target.owner(t.hash(rows.get(i))));
      } else {
        out.add(drained.contains(source) ? p : source);
      }
    }
    return out;
  }

  /** The destinations of the sharded tables' row images of {@code changes}, by image (one directory read a table). */
  private Map<Map<String, Object>, String> destinations(String source, List<Change> changes) throws SQLException {
    Map<String, List<Map<String, Object>>> byTable = new TreeMap<>();
    for (Change ch : changes) {
      TableShape t = shapes.get(ch.table());
      if (t != null && !t.broadcast()) {
        for (Map<String, Object> image : java.util.Arrays.asList(ch.before(), ch.after())) {
          if (image != null) {
            byTable.computeIfAbsent(t.name, k -> new ArrayList<>()).add(image);
          }
        }
      }
    }
    Map<Map<String, Object>, String> out = new java.util.IdentityHashMap<>();
    List<String> drained = strings("drained");
    for (Map.Entry<String, List<Map<String, Object>>> e : byTable.entrySet()) {
      List<String> owners = destinations(shapes.get(e.getKey()), source, e.getValue(), to, drained);
      for (int i = 0; i < owners.size(); i++) {
        out.put(e.getValue().get(i), owners.get(i));
      }
    }
    return out;
  }

  /**
   * While the sources are fenced and caught up (each moved row is the same on its old and new shard, and no write
   * planned with the old map commits on a source): points the lookup entries of every moved row, and the placements
   * of the keys leaving a drained shard, at the rows' new shards; then deletes the entries and placements still
   * naming a drained shard (values and keys without rows). Readers find every row by its lookup value before and
   * after, since both shards hold it until the cleanup. Once begun (recorded in the operation), the reshard can no longer be aborted; run again, it
   * changes only what is left.
   */
  /** Whether a sharded table has lookup columns: their entries move with the rows. */
  private boolean lookupsMove() throws SQLException {
    return tables().stream().anyMatch(t -> !t.broadcast() && !t.rule.lookup().isEmpty());
  }

  private void switchDirectory() throws SQLException {
    if ("switched".equals(state.get("directory"))) {
      return;
    }
    List<String> drained = strings("drained");
    boolean placements = moves.placesKeys() && !drained.isEmpty();
    if (!placements && !lookupsMove()) {
      return;
    }
    state.put("directory", "switching");
    save();
    long changed = 0;
    if (scanned != null) { // scanned before the fence, and the changes since read by the fenced catch-up
      for (Map.Entry<String, Map<String, List<DirectoryMoves.Moved>>> bySource : scanned.moved.entrySet()) {
        boolean leaving = placements && drained.contains(bySource.getKey());
        for (Map.Entry<String, List<DirectoryMoves.Moved>> byTable : bySource.getValue().entrySet()) {
          List<DirectoryMoves.Moved> all = byTable.getValue();
          TableShape t = shapes.get(byTable.getKey());
          int batch = Math.max(options.batchSize(), 1000);
          for (int i = 0; i < all.size(); i += batch) {
            changed += moves.repoint(t.rule, all.subList(i, Math.min(all.size(), i + batch)), leaving);
            progress.on("directory " + bySource.getKey() + "/" + t.name, changed, -1);
          }
        }
      }
      scanned = null;
      finishDirectorySwitch(drained, placements, changed);
      return;
    }
    for (String source : strings("sources")) {
      Connection c = connections.get(source);
      boolean leaving = placements && drained.contains(source);
      for (TableShape t : tables()) {
        if (t.broadcast() || (t.rule.lookup().isEmpty() && !leaving)) {
          continue;
        }
        Object[] after = null;
        while (true) {
          List<Map<String, Object>> rows = RowWriter.readAfter(c, t, after, Math.max(options.batchSize(), 1000));
          if (rows.isEmpty()) {
            break;
          }
          List<DirectoryMoves.Moved> moved = leavingRows(t, source, rows, to, drained);
          changed += moves.repoint(t.rule, moved, leaving);
          after = t.primaryKeyOf(rows.get(rows.size() - 1));
          progress.on("directory " + source + "/" + t.name, changed, -1);
        }
      }
    }
    finishDirectorySwitch(drained, placements, changed);
  }

  /** The rows of {@code rows} (of {@code t} on {@code source}) whose destination is another shard. */
  private List<DirectoryMoves.Moved> leavingRows(TableShape t, String source, List<Map<String, Object>> rows,
      ShardMap target, java.util.Collection<String> drained) throws SQLException {
    List<String> owners = destinations(t, source, rows, target, drained);
    List<DirectoryMoves.Moved> moved = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      if (!owners.get(i).equals(source)) {
        moved.add(new DirectoryMoves.Moved(rows.get(i), source, owners.get(i)));
      }
    }
    return moved;
  }

  private void finishDirectorySwitch(List<String> drained, boolean placements, long changed) throws SQLException {
    for (String d : drained) {
      moves.dropNaming(d, placements);
    }
    moves.forgetAll();
    state.put("directory", "switched");
    state.put("directoryEntriesMoved", changed);
    save();
  }

  /**
   * The directory switch's scan, made before the fence so that writes do not wait for it: per source (its change
   * log's position when the scan began) and table, the rows whose lookup entries or placements the switch re-points.
   * Rows changed after that position are added by the fenced final catch-up ({@link #movedSinceScan}), which reads
   * every change to the end of the logs: the switch then re-points the scanned rows and those, still under the fence.
   * In memory only: a run resumed after the fence was raised scans under the fence, as before.
   */
  private record Scanned(Map<String, Long> positions, Map<String, Map<String, List<DirectoryMoves.Moved>>> moved) {
  }

  private Scanned scanned;

  private void scanDirectory() throws SQLException {
    scanned = null;
    if ("switched".equals(state.get("directory")) || state.get("directory") != null) {
      return;
    }
    List<String> drained = strings("drained");
    boolean placements = moves.placesKeys() && !drained.isEmpty();
    if (!placements && !lookupsMove()) {
      return;
    }
    Map<String, Long> positions = new TreeMap<>();
    Map<String, Map<String, List<DirectoryMoves.Moved>>> moved = new TreeMap<>();
    for (String source : strings("sources")) {
      Connection c = connections.get(source);
      positions.put(source, ChangeCapture.head(c)); // before the scan: every later change is read under the fence
      boolean leaving = placements && drained.contains(source);
      tables();
      for (Map.Entry<String, TableShape> shape : shapes.entrySet()) { // keyed as the change log names tables
        TableShape t = shape.getValue();
        if (t.broadcast() || (t.rule.lookup().isEmpty() && !leaving)) {
          continue;
        }
        List<DirectoryMoves.Moved> rowsOut = moved.computeIfAbsent(source, k -> new TreeMap<>())
            .computeIfAbsent(shape.getKey(), k -> new ArrayList<>());
        Object[] after = null;
        // up to the last key after the log's head was read: a row written later is in the log after that head, and
        // the fenced catch-up adds it (movedSinceScan); writers inserting increasing keys cannot keep the scan going
        Object[] upTo = org.collegedb.internal.copy.KeyOrder.lastKey(c, t.copy);
        while (upTo != null) {
          List<Map<String, Object>> rows = RowWriter.readAfter(c, t, after, upTo, Math.max(options.batchSize(), 1000));
          if (rows.isEmpty()) {
            break;
          }
          rowsOut.addAll(leavingRows(t, source, rows, to, drained));
          after = t.primaryKeyOf(rows.get(rows.size() - 1));
          progress.on("directory scan " + source + "/" + t.name, rowsOut.size(), -1);
        }
      }
    }
    scanned = new Scanned(positions, moved);
  }

  /** Adds the rows a change after the directory scan wrote (its after-image) that move, for the switch. */
  private void movedSinceScan(String source, List<Change> changes, Map<Map<String, Object>, String> owners) {
    Long from = scanned.positions.get(source);
    Map<String, List<DirectoryMoves.Moved>> bySource = scanned.moved.get(source);
    if (from == null || bySource == null) {
      return;
    }
    for (Change ch : changes) {
      List<DirectoryMoves.Moved> rows = bySource.get(ch.table());
      if (ch.position() <= from || ch.after() == null || rows == null) {
        continue;
      }
      String owner = owners.get(ch.after());
      if (owner != null && !owner.equals(source)) {
        rows.add(new DirectoryMoves.Moved(ch.after(), source, owner));
      }
    }
  }

  private void releaseCapture() throws SQLException {
    Map<String, Object> captured = map("captured");
    for (Map.Entry<String, Object> e : captured.entrySet()) {
      Connection c = connections.get(e.getKey());
      if (c == null) {
        continue;
      }
      for (Object table : (List<?>) e.getValue()) {
        ChangeCapture.uninstall(c, table.toString());
      }
      if (ChangeCapture.consumers(c).isEmpty() && ChangeCapture.capturedTables(c).isEmpty()) {
        ChangeCapture.uninstallAll(c);
      } else {
        ChangeCapture.prune(c);
      }
    }
  }

  /** The shards whose change logs the mover reads: the sources, and a broadcast source for joining shards. */
  private List<String> captureSources() {
    Set<String> s = new TreeSet<>(strings("sources"));
    if (!strings("added").isEmpty()) {
      s.add(from.owners().get(0));
    }
    return new ArrayList<>(s);
  }

  private List<TableShape> tables() throws SQLException {
    if (shapes.isEmpty()) {
      Connection c = connections.get(from.owners().get(0));
      for (String table : tableNames(c)) {
        TableRule rule = view.rule(table);
        if (rule.sharded() || rule.broadcast()) {
          shapes.put(table, TableShape.read(c, rule));
        }
      }
    }
    return new ArrayList<>(shapes.values());
  }

  private static List<String> tableNames(Connection c) throws SQLException {
    java.sql.DatabaseMetaData md = c.getMetaData();
    List<String> out = new ArrayList<>();
    String schema;
    try {
      schema = c.getSchema();
    } catch (SQLException | AbstractMethodError e) {
      schema = null;
    }
    try (java.sql.ResultSet rs = md.getTables(c.getCatalog(), schema, "%", new String[] {"TABLE", "BASE TABLE"})) {
      while (rs.next()) {
        String name = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
        if (!name.startsWith("collegedb_") && !out.contains(name)) {
          out.add(name);
        }
      }
    }
    return out;
  }

  /** The switch's measured parts and what the catch-up estimated them to take, when this run measured them. */
  private String estimated() {
    String text = org.collegedb.migrate.Operation.switchSummary(state);
    return text.isEmpty() ? "" : " (" + text + ")";
  }

  private String warningLines() {
    StringBuilder b = new StringBuilder();
    for (Object w : (List<?>) state.getOrDefault("warnings", List.of())) {
      b.append("\nwarning: ").append(w);
    }
    return b.toString();
  }

  private Connection connection(String shard) throws SQLException {
    Connection c = connections.get(shard);
    if (c == null) {
      throw new SQLException("shard '" + shard + "' is in the reshard's plan but not in the configuration: add "
          + "'shards." + shard + ".url' back until the reshard is done", SqlStates.BAD_CONFIG);
    }
    return c;
  }

  /** For a rebalance: every owner's rows by hash position, weighted by row or by bytes per row. */
  private Map<String, ReshardPlan.Weighted> weights(ShardMap current) throws SQLException {
    from = current;
    Map<String, ReshardPlan.Weighted> out = new TreeMap<>();
    for (String owner : current.owners()) {
      Connection c = connection(owner);
      List<Long> hashes = new ArrayList<>();
      for (TableShape t : tables()) {
        if (t.broadcast()) {
          continue;
        }
        Object[] after = null;
        while (true) {
          List<Map<String, Object>> batch = RowWriter.readAfter(c, t, after, 5000);
          if (batch.isEmpty()) {
            break;
          }
          for (Map<String, Object> row : batch) {
            hashes.add(t.hash(row));
          }
          after = t.primaryKeyOf(batch.get(batch.size() - 1));
        }
      }
      double weight = 1;
      if ("size".equals(options.by()) && !hashes.isEmpty()) {
        try {
          Long bytes = org.collegedb.internal.directory.ShardSizes.bytes(specs.get(owner).url(), c);
          weight = bytes == null || bytes <= 0 ? Double.NaN : (double) bytes / hashes.size();
        } catch (java.io.IOException e) {
          weight = Double.NaN;
        }
      }
      long[] sorted = hashes.stream().mapToLong(Long::longValue).sorted().toArray();
      out.put(owner, new ReshardPlan.Weighted(sorted, weight));
    }
    // a shard whose size is unknown (an in-memory H2 has no file): every shard by rows
    if (out.values().stream().anyMatch(w -> Double.isNaN(w.weightPerRow()))) {
      out.replaceAll((owner, w) -> new ReshardPlan.Weighted(w.sortedHashes(), 1));
    }
    return out;
  }

  private String describe(ReshardPlan plan) throws SQLException {
    StringBuilder b = new StringBuilder();
    b.append("shard map version ").append(plan.current().version()).append(" -> ").append(plan.target().version())
        .append('\n');
    if (!plan.added().isEmpty()) {
      b.append("joining: ").append(plan.added()).append('\n');
    }
    if (!plan.drained().isEmpty()) {
      b.append("draining: ").append(plan.drained()).append('\n');
    }
    if (plan.empty()) {
      return b.append("nothing to move: the stored map matches the configuration\n").toString();
    }
    b.append("ranges moving:\n");
    for (ReshardPlan.Move m : plan.moves()) {
      b.append(String.format(Locale.ROOT, "  [%d, %d] %s -> %s (%.2f%% of the hash space)%n", m.start(), m.end(),
          m.from(), m.to(), m.share() * 100));
    }
    b.append("rows and bytes to move, per shard:\n");
    from = plan.current();
    for (String source : plan.sources()) {
      Connection c = connections.get(source);
      long rows = 0;
      long total = 0;
      for (TableShape t : tables()) {
        if (t.broadcast()) {
          continue;
        }
        Object[] after = null;
        while (true) {
          List<Map<String, Object>> batch = RowWriter.readAfter(c, t, after, 5000);
          if (batch.isEmpty()) {
            break;
          }
          for (String owner : destinations(t, source, batch, plan.target(), plan.drained())) {
            total++;
            if (!owner.equals(source)) {
              rows++;
            }
          }
          after = t.primaryKeyOf(batch.get(batch.size() - 1));
        }
      }
      Long bytes = null;
      try {
        Long size = org.collegedb.internal.directory.ShardSizes.bytes(specs.get(source).url(), c);
        bytes = size == null || total == 0 ? null : size * rows / total;
      } catch (java.io.IOException e) {
        bytes = null;
      }
      b.append(String.format(Locale.ROOT, "  %s: %d of %d rows out (%s)%n", source, rows, total,
          bytes == null ? "size unknown" : "~" + bytes + " bytes"));
    }
    return b.toString();
  }

  // ---------------------------------------------------------------- state

  private String step;

  private String step() {
    return step;
  }

  private void advance(String next) throws SQLException {
    step = next;
    operations.update(id, "running", next, state);
  }

  private void save() throws SQLException {
    operations.update(id, "running", step, state);
  }

  private void stopIf(String step) throws SQLException {
    if (step.equals(options.stopAfter())) {
      throw new Stopped(step);
    }
  }

  @SuppressWarnings("unchecked")
  private void load(Operations.Entry entry) throws SQLException {
    id = entry.id();
    step = entry.step();
    state = entry.detail();
    from = ShardMap.of(((Number) state.get("from")).longValue(), ranges(map("fromRanges")));
    to = ShardMap.of(((Number) state.get("to")).longValue(), ranges(map("toRanges")));
  }

  private ReshardPlan planOf() {
    return new ReshardPlan(from, to, ReshardPlan.moves(from, to), strings("added"), strings("drained"));
  }

  private static Map<String, Object> rangesJson(ShardMap m) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<Long, String> e : m.ranges().entrySet()) {
      out.put(Long.toString(e.getKey()), e.getValue());
    }
    return out;
  }

  private static Map<Long, String> ranges(Map<String, Object> json) {
    Map<Long, String> out = new TreeMap<>();
    for (Map.Entry<String, Object> e : json.entrySet()) {
      out.put(Long.parseLong(e.getKey()), e.getValue().toString());
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> map(String key) {
    return (Map<String, Object>) state.get(key);
  }

  private List<String> strings(String key) {
    List<String> out = new ArrayList<>();
    Object v = state.get(key);
    if (v instanceof List<?> l) {
      for (Object o : l) {
        out.add(o.toString());
      }
    }
    return out;
  }

  private static List<Object> jsonKey(Object[] key) {
    List<Object> out = new ArrayList<>();
    for (Object k : key) {
      out.add(k instanceof Number || k instanceof String || k == null ? k : k.toString());
    }
    return out;
  }
}
