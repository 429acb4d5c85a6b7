package org.collegedb.clients.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An entity with an IDENTITY id: CollegeDB hands out ids unique across the shards. */
@Entity
@Table(name = "notes")
public class Note {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Integer id; // Integer: Hibernate's SQLite dialect creates identity columns as INTEGER (rowid), and
  // validates them as such (a Long fails hbm2ddl validate on plain SQLite too)

  private String body;

  protected Note() {
  }

  public Note(String body) {
    this.body = body;
  }

  public Integer getId() {
    return id;
  }

  public String getBody() {
    return body;
  }
}
