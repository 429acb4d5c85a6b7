package org.collegedb.internal.plan;

import java.util.List;
import org.collegedb.parse.ParsedStatement;
import org.collegedb.internal.rewrite.InsertSelectText;
import org.collegedb.internal.rewrite.Splice;
import org.collegedb.internal.route.Route;

/** Writes a plan as text: a line per node ({@code kind key=value ...}), a line per shard with the text it runs. */
final class PlanText {
  private PlanText() {
  }

  static void write(Plan plan, List<String> names, StringBuilder b, String indent) {
    b.append(indent);
    if (plan instanceof Plan.ShardRead r) {
      b.append("read ").append(shards(r.route(), names));
      if (r.lock() != Plan.Lock.NONE) {
        b.append(" lock=").append(r.lock().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
      }
      if (r.catalog()) {
        b.append(" catalog=hide-collegedb");
      }
      if (!r.route().cacheUsed().isEmpty()) {
        b.append(" directory-cache");
      }
      b.append('\n');
      texts(r.route(), r.tokens(), r.merge(), names, b, indent);
      if (r.merge() != null) {
        b.append(indent).append("  merge ").append(r.merge().describe(names)).append('\n');
      }
    } else if (plan instanceof Plan.ShardWrite w) {
      b.append(w.route().kind() == Route.Kind.BROADCAST_WRITE ? "broadcast-write " : "write ")
          .append(shards(w.route(), names)).append('\n');
      textsWith(w.route(), w.tokens(), w.owned() == null ? null : w.owned().returning(), names, b, indent);
      owned(w.owned(), names, b, indent);
    } else if (plan instanceof Plan.DirectoryWrite d) {
      b.append("directory-write ").append(d.rule().name());
      if (d.rule().generatedKey() != null) {
        b.append(" generated-key=").append(d.rule().generatedKey());
      }
      if (!d.rule().lookup().isEmpty()) {
        b.append(" lookup=").append(d.rule().lookup());
      }
      if (d.route() == null) {
        b.append(" rows placed as they run\n");
      } else {
        b.append(' ').append(shards(d.route(), names)).append('\n');
        textsWith(d.route(), d.tokens(), d.owned() == null ? null : d.owned().returning(), names, b, indent);
        owned(d.owned(), names, b, indent);
      }
    } else if (plan instanceof Plan.PlacedInsert p) {
      b.append("placed-insert ").append(shards(p.route(), names)).append('\n');
      texts(p.route(), p.tokens(), null, names, b, indent);
    } else if (plan instanceof Plan.GuardedKeyUpdate g) {
      b.append("guarded-key-update set=")
          .append(g.update().setColumns().get(g.assignment())).append(" (rows with another key are counted first)\n");
    } else if (plan instanceof Plan.KeyMove k) {
      b.append("key-move set=").append(k.guard().update().setColumns().get(k.guard().assignment()))
          .append(" from ").append(shards(k.from(), names)).append(" to ")
          .append(k.target() < 0 ? "(NULL key)" : names.get(k.target()));
      b.append(k.refusal() == null ? " (rows with another key are counted first; if any, moved atomically)\n"
          : " (rows with another key are counted first; if any, refused)\n");
      texts(k.from(), k.guard().tokens(), null, names, b, indent);
    } else if (plan instanceof Plan.SubqueriesFirst s) {
      b.append("subqueries-first ").append(s.subqueries().size()).append('\n');
      for (ParsedStatement.Block block : s.subqueries()) {
        b.append(indent).append("  ").append(block.context().name().toLowerCase(java.util.Locale.ROOT))
            .append(": ").append(text(s.tokens(), block.first(), block.last()))
            .append('\n');
      }
      b.append(indent).append("  then the statement with their answers\n");
    } else if (plan instanceof Plan.SetOperation s) {
      b.append("set-operation branches=").append(s.query().firsts().length).append(" all=")
          .append(s.query().all()).append('\n');
      for (int i = 0; i < s.query().firsts().length; i++) {
        b.append(indent).append("  branch: ").append(text(s.tokens(), s.query().firsts()[i], s.query().lasts()[i]))
            .append('\n');
      }
    } else if (plan instanceof Plan.InsertFromQuery i) {
      b.append("insert-from-query width=").append(i.width()).append('\n')
          .append(indent).append("  query: ").append(InsertSelectText.query(i.sourceStart()).apply(i.tokens()).sql())
          .append('\n').append(indent).append("  insert: ").append(i.head()).append("(...), ...\n");
    } else if (plan instanceof Plan.Ddl d) {
      b.append("ddl ").append(shards(d.route(), names));
      if (d.table() != null) {
        b.append(" table=").append(d.table());
      }
      b.append(d.immediate() ? " shard by shard\n" : " one transaction per shard\n");
      if (d.immediate()) {
        b.append(indent).append("  undo on failure: ").append(d.undo() == null ? "none (shards that changed are "
            + "named and recorded)" : d.undo()).append('\n');
      }
    } else if (plan instanceof Plan.Transaction t) {
      b.append("transaction ").append(t.kind().name().toLowerCase(java.util.Locale.ROOT))
          .append('\n');
    } else if (plan instanceof Plan.OnShards o) {
      b.append(o.purpose().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
          .append(' ').append(shards(o.route(), names)).append('\n');
    } else if (plan instanceof Plan.LastInsertId l) {
      b.append("last-insert-id ").append(l.function()).append(" (from CollegeDB's generated keys; otherwise:)\n");
      write(l.otherwise(), names, b, indent + "  ");
    } else if (plan instanceof Plan.Explain e) {
      b.append("explain").append(e.analyze() ? " analyze" : "").append('\n');
      write(e.plan(), names, b, indent + "  ");
    } else if (plan instanceof Plan.Hinted h) {
      b.append("hinted ").append(h.hint()).append(' ').append(shards(h.route(), names))
          .append(h.write() ? " write" : " unmerged").append('\n');
      texts(h.route(), h.tokens(), null, names, b, indent);
    } else if (plan instanceof Plan.CrossShard c) {
      b.append("cross-shard: each table's rows read as fragments, then joined in the driver (a plain inner "
          + "equi-join of two tables, where exact) or the statement run unchanged in a scratch database")
          .append('\n').append(indent).append("  not pushed down: ").append(c.refusal()).append('\n');
    } else if (plan instanceof Plan.Refusal r) {
      b.append("refused ").append(r.sqlState()).append(' ').append(r.message()).append('\n');
    }
  }

  private static String shards(Route route, List<String> names) {
    StringBuilder b = new StringBuilder("[");
    int[] shards = route.shards();
    for (int i = 0; i < shards.length; i++) {
      b.append(i == 0 ? "" : ",").append(shards[i] < names.size() ? names.get(shards[i]) : "#" + shards[i]);
    }
    b.append(']');
    if (route.ordered()) {
      b.append(" in-order");
    }
    return b.toString();
  }

  /** Tokens {@code first} to {@code last} of the caller's text, as written. */
  private static String text(org.collegedb.parse.Tokens tokens, int first, int last) {
    return Splice.compose(tokens, new Splice.Copy(first, last)).sql();
  }

  /** The text of each shard, once when all run the same text. */
  private static void texts(Route route, org.collegedb.parse.Tokens tokens, org.collegedb.internal.merge.MergePlan merge,
      List<String> names, StringBuilder b, String indent) {
    textsWith(route, tokens, merge == null ? null : merge.edits(), names, b, indent);
  }

  /** How a write of several shards counts only owned rows while rows move ({@link Plan.OwnedCount}), if it does. */
  private static void owned(Plan.OwnedCount owned, List<String> names, StringBuilder b, String indent) {
    if (owned != null) {
      b.append(indent).append(owned.callerRows() ? "  rows" : "  count").append(owned.ownership().describe(names))
          .append(owned.lockingRead() == null ? "" : " after " + owned.lockingRead() + ", then " + owned.ownedKeys())
          .append('\n');
    }
  }

  private static void textsWith(Route route, org.collegedb.parse.Tokens tokens,
      org.collegedb.internal.rewrite.Edits edits, List<String> names, StringBuilder b, String indent) {
    int[] shards = route.shards();
    String[] texts = new String[shards.length];
    boolean same = true;
    for (int i = 0; i < shards.length; i++) {
      texts[i] = Plan.shardTextWith(route, i, tokens, edits);
      same &= texts[i].equals(texts[0]);
    }
    if (same && shards.length > 0) {
      b.append(indent).append("  ").append(shards.length > 1 ? "each: " : "sql: ").append(texts[0]).append('\n');
      return;
    }
    for (int i = 0; i < shards.length; i++) {
      b.append(indent).append("  ").append(shards[i] < names.size() ? names.get(shards[i]) : "#" + shards[i])
          .append(": ").append(texts[i]).append('\n');
    }
  }
}
