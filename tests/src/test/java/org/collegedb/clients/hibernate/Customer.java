package org.collegedb.clients.hibernate;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.Table;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** A customer with an assigned id: the shard key of its table and of its orders. */
@Entity
@Table(name = "customers")
public class Customer {
  @Id
  private Long id;

  @Column(nullable = false, length = 80)
  private String name;

  private LocalDate since;

  @OneToMany(mappedBy = "customer", cascade = CascadeType.ALL)
  private List<PurchaseOrder> orders = new ArrayList<>();

  protected Customer() {
  }

  public Customer(long id, String name, LocalDate since) {
    this.id = id;
    this.name = name;
    this.since = since;
  }

  public Long getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public LocalDate getSince() {
    return since;
  }

  public List<PurchaseOrder> getOrders() {
    return orders;
  }

  public PurchaseOrder order(long orderId, long cents) {
    PurchaseOrder o = new PurchaseOrder(orderId, this, cents);
    orders.add(o);
    return o;
  }
}
