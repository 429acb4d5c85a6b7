package org.collegedb.clients.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** An order, on its customer's shard: its table's shard key is {@code customer_id}. */
@Entity
@Table(name = "orders")
public class PurchaseOrder {
  @Id
  private Long id;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "customer_id", nullable = false) // Hibernate re-sets it in UPDATEs: CollegeDB checks it is unchanged
  private Customer customer;

  private long cents;

  protected PurchaseOrder() {
  }

  PurchaseOrder(long id, Customer customer, long cents) {
    this.id = id;
    this.customer = customer;
    this.cents = cents;
  }

  public Long getId() {
    return id;
  }

  public Customer getCustomer() {
    return customer;
  }

  public long getCents() {
    return cents;
  }

  public void setCents(long cents) {
    this.cents = cents;
  }
}
