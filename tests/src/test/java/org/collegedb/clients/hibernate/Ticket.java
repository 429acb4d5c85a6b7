package org.collegedb.clients.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An entity whose ids come from a sequence (a table of its own where the database has no sequences). */
@Entity
@Table(name = "tickets")
public class Ticket {
  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE)
  private Long id;

  private String subject;

  protected Ticket() {
  }

  public Ticket(String subject) {
    this.subject = subject;
  }

  public Long getId() {
    return id;
  }

  public String getSubject() {
    return subject;
  }
}
