package org.collegedb.internal.run;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.collegedb.SqlStates;
import org.collegedb.internal.config.ShardSpec;
import org.collegedb.internal.directory.Directory;
import org.collegedb.internal.execute.BackendDrivers;
import org.collegedb.internal.execute.ShardConnections;
import org.collegedb.internal.route.ShardMap;
import org.collegedb.internal.route.ShardMapStore;

/**
 * The integrity checks of the shards that connect did not read (all but the map's holders): before a shard's first
 * statement in this process, the first physical connection to it checks its product, its identity and shard map
 * ({@link ShardMapStore#checkOnFirstUse}: an empty database in the place of a shard that joined is refused as at
 * connect) and the directory it is bound to. A shard that fails is checked again on its next use.
 */
final class ShardChecks implements ShardConnections.OpenCheck {
  private final List<ShardSpec> specs;
  private final List<String> names;
  private final ShardMapStore store;
  private final java.util.function.Supplier<ShardMap> map;
  private final ShardMapStore.NewerMap newer;
  private final String product;
  private final Directory directory;
  private final boolean[] checked;
  private final Object[] locks;

  ShardChecks(List<ShardSpec> specs, List<String> names, ShardMapStore.Loaded loaded, String product,
      Directory directory, java.util.function.Supplier<ShardMap> map, ShardMapStore.NewerMap newer) {
    this.specs = specs;
    this.names = names;
    this.store = loaded.store();
    this.map = map;
    this.newer = newer;
    this.product = product;
    this.directory = directory;
    this.checked = new boolean[names.size()];
    this.locks = new Object[names.size()];
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new Object();
      checked[i] = i < loaded.checked();
    }
  }

  @Override
  public void opened(int shard, Connection physical) throws SQLException {
    synchronized (locks[shard]) {
      if (checked[shard]) {
        return;
      }
      String name = names.get(shard);
      String own = physical.getMetaData().getDatabaseProductName();
      if (!own.equals(product)) {
        throw new SQLException("the shards are of different database products: shard '" + name + "' is " + own
            + ", shard '" + names.get(0) + "' is " + product + ": every shard of a CollegeDB database must be of one "
            + "product, since statements run unchanged on each and tools choose their dialect from one product name",
            SqlStates.BAD_CONFIG);
      }
      store.checkOnFirstUse(name, physical, map.get(), names, holder -> BackendDrivers.connect(specs.get(holder)),
          newer);
      directory.checkBinding(List.of(name), List.of(physical), false); // no second directory for this shard
      checked[shard] = true;
    }
  }
}
