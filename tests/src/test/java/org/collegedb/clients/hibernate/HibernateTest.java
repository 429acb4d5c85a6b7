package org.collegedb.clients.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import org.collegedb.clients.Configs;
import org.collegedb.jdbc.CollegeConnection;
import org.collegedb.testing.TestShards;
import org.collegedb.testing.TestShards.Backend;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.cfg.Configuration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Hibernate 6 over HikariCP over CollegeDB: schema create and validate, batches, a co-located pair, paging. */
class HibernateTest {

  static SessionFactory sessionFactory(HikariDataSource pool, String ddl) {
    Configuration cfg = new Configuration()
        .addAnnotatedClass(Customer.class)
        .addAnnotatedClass(PurchaseOrder.class)
        .addAnnotatedClass(Ticket.class)
        .addAnnotatedClass(Note.class);
    cfg.getProperties().put(AvailableSettings.DATASOURCE, pool);
    cfg.setProperty(AvailableSettings.HBM2DDL_AUTO, ddl);
    cfg.setProperty(AvailableSettings.STATEMENT_BATCH_SIZE, "20");
    cfg.setProperty(AvailableSettings.ORDER_INSERTS, "true");
    cfg.setProperty(AvailableSettings.ORDER_UPDATES, "true");
    return cfg.buildSessionFactory();
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"SQLITE", "POSTGRES"})
  void entitiesOverShards(Backend backend) throws Exception {
    TestShards shards = TestShards.create(backend, "HibernateTest", 3);
    Path config = Configs.configFile(shards, "orders", "customer_id");
    try (HikariDataSource pool = Configs.pool(config)) {
      try (SessionFactory sf = sessionFactory(pool, "create")) {
        sf.inTransaction(s -> {
          for (long id = 1; id <= 12; id++) {
            Customer c = new Customer(id, "customer " + id, LocalDate.of(2020, 1, (int) id));
            for (long k = 1; k <= 3; k++) {
              c.order(id * 100 + k, id * k);
            }
            s.persist(c);
          }
          for (int i = 0; i < 5; i++) {
            s.persist(new Ticket("ticket " + i));
          }
        });
        List<Integer> noteIds = new java.util.ArrayList<>();
        sf.inTransaction(s -> {
          for (int i = 0; i < 20; i++) {
            Note n = new Note("note " + i);
            s.persist(n); // IDENTITY: inserted at once, its id read back
            noteIds.add(n.getId());
          }
        });
        assertThat(noteIds).doesNotContainNull().doesNotHaveDuplicates();
        sf.inTransaction(s -> {
          for (Integer id : noteIds) {
            assertThat(s.find(Note.class, id)).isNotNull();
          }
          assertThat(s.createQuery("select count(n) from Note n", Long.class).getSingleResult()).isEqualTo(20);
        });
        sf.inTransaction(s -> {
          assertThat(s.createQuery("select count(o) from PurchaseOrder o", Long.class).getSingleResult())
              .isEqualTo(36);
          assertThat(s.createQuery("select sum(o.cents) from PurchaseOrder o where o.customer.id = :c", Long.class)
              .setParameter("c", 5L).getSingleResult()).isEqualTo(5 + 10 + 15);
          List<Long> page = s.createQuery("select c.id from Customer c order by c.id", Long.class)
              .setFirstResult(3).setMaxResults(4).getResultList();
          assertThat(page).containsExactly(4L, 5L, 6L, 7L);
          List<Customer> byName = s.createQuery("from Customer c where c.name like :n order by c.since desc",
              Customer.class).setParameter("n", "customer 1%").setMaxResults(2).getResultList();
          assertThat(byName).extracting(Customer::getId).containsExactly(12L, 11L);
          Customer seven = s.createQuery("select c from Customer c join fetch c.orders where c.id = :id",
              Customer.class).setParameter("id", 7L).getSingleResult();
          assertThat(seven.getOrders()).extracting(PurchaseOrder::getCents).containsExactlyInAnyOrder(7L, 14L, 21L);
          assertThat(s.find(Customer.class, 3L).getOrders()).hasSize(3);
          List<Long> ticketIds = s.createQuery("select t.id from Ticket t order by t.id", Long.class).getResultList();
          assertThat(ticketIds).hasSize(5).doesNotHaveDuplicates();
        });
        sf.inTransaction(s -> { // dirty checking and removal: updates and deletes by id
          PurchaseOrder o = s.find(PurchaseOrder.class, 702L);
          o.setCents(1000);
          s.find(Customer.class, 8L).setName("renamed");
          s.remove(s.find(PurchaseOrder.class, 901L));
        });
        sf.inTransaction(s -> {
          assertThat(s.find(PurchaseOrder.class, 702L).getCents()).isEqualTo(1000);
          assertThat(s.find(Customer.class, 8L).getName()).isEqualTo("renamed");
          assertThat(s.find(PurchaseOrder.class, 901L)).isNull();
          assertThat(s.createQuery("select count(o) from PurchaseOrder o", Long.class).getSingleResult())
              .isEqualTo(35);
        });
      }
      try (SessionFactory sf = sessionFactory(pool, "validate")) { // the schema the shards have matches
        sf.inTransaction(s -> assertThat(s.find(Customer.class, 1L)).isNotNull());
      }
      // the rows are spread, each order on its customer's shard
      try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
        CollegeConnection cc = c.unwrap(CollegeConnection.class);
        for (long id = 1; id <= 12; id++) {
          try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM orders WHERE customer_id = " + id)) {
            rs.next();
          }
          assertThat(cc.lastExecution().shards()).containsExactly(cc.shardOf("customers", id));
        }
      }
    }
    int[] perShard = new int[shards.count()];
    for (int i = 0; i < shards.count(); i++) {
      try (Connection d = shards.direct(i); Statement st = d.createStatement();
           ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM customers")) {
        rs.next();
        perShard[i] = rs.getInt(1);
      }
    }
    assertThat(java.util.Arrays.stream(perShard).boxed().toList()).allMatch(n -> n > 0 && n < 12);
    for (int i = 0; i < shards.count(); i++) { // notes too are spread, by their generated ids
      try (Connection d = shards.direct(i); Statement st = d.createStatement();
           ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM notes")) {
        rs.next();
        assertThat(rs.getInt(1)).isBetween(1, 19);
      }
    }
  }
}
