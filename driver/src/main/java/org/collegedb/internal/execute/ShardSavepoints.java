package org.collegedb.internal.execute;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.BitSet;
import org.collegedb.SqlStates;

/**
 * Savepoints of a transaction over shards: a savepoint is one physical savepoint on every shard that was in the
 * transaction when it was set; a shard that joined later is rolled back whole (all its work came after it).
 */
public final class ShardSavepoints {
  private ShardSavepoints() {
  }

  public static Savepoint set(ShardConnections shards, String name) throws SQLException {
    if (shards.autoCommit()) {
      throw new SQLException("savepoints need a transaction: call setAutoCommit(false) first",
          SqlStates.INVALID_TRANSACTION_STATE);
    }
    BitSet touched = shards.touched();
    Savepoint[] physical = new Savepoint[shards.size()];
    for (int s = touched.nextSetBit(0); s >= 0; s = touched.nextSetBit(s + 1)) {
      Connection c = shards.use(s);
      physical[s] = name == null ? c.setSavepoint() : c.setSavepoint(name);
    }
    return new ShardSavepoint(name, physical);
  }

  public static void rollback(ShardConnections shards, Savepoint savepoint) throws SQLException {
    ShardSavepoint sp = ShardSavepoint.of(savepoint);
    BitSet touched = shards.touched();
    for (int s = touched.nextSetBit(0); s >= 0; s = touched.nextSetBit(s + 1)) {
      Savepoint p = sp.physical()[s];
      if (p != null) {
        shards.raw(s).rollback(p);
      } else {
        shards.raw(s).rollback(); // the shard joined after the savepoint: all of its work comes after it
      }
    }
  }

  public static void release(ShardConnections shards, Savepoint savepoint) throws SQLException {
    ShardSavepoint sp = ShardSavepoint.of(savepoint);
    for (int s = 0; s < sp.physical().length; s++) {
      if (sp.physical()[s] != null) {
        shards.raw(s).releaseSavepoint(sp.physical()[s]);
      }
    }
  }

  /** A savepoint on every shard that was in the transaction when it was set. */
  private record ShardSavepoint(String name, Savepoint[] physical) implements Savepoint {
    static ShardSavepoint of(Savepoint s) throws SQLException {
      if (s instanceof ShardSavepoint sp) {
        return sp;
      }
      throw new SQLException("not a savepoint of this connection", SqlStates.INVALID_PARAMETER);
    }

    @Override
    public int getSavepointId() throws SQLException {
      if (name != null) {
        throw new SQLException("this savepoint is named", SqlStates.GENERAL);
      }
      return System.identityHashCode(this);
    }

    @Override
    public String getSavepointName() throws SQLException {
      if (name == null) {
        throw new SQLException("this savepoint is not named", SqlStates.GENERAL);
      }
      return name;
    }
  }
}
